//! The development mailer: each message becomes an `.eml` file in a folder, and one log
//! line names it, so a person running the server locally finds their code without SMTP.

use std::path::PathBuf;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::ports::{Mail, MailError, Mailer};

/// Writes mail into `dir` as RFC 5322 files named by time and recipient.
#[derive(Debug, Clone)]
pub struct OutboxMailer {
    dir: PathBuf,
    from: String,
}

impl OutboxMailer {
    pub fn new(dir: impl Into<PathBuf>, from: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            from: from.into(),
        }
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let now = OffsetDateTime::now_utc();
        let stamp = now.unix_timestamp_nanos();
        let name = format!("{stamp}-{}.eml", mail.to.as_str().replace(['/', '\\'], "_"));
        let path = self.dir.join(name);
        let date = now
            .format(&time::format_description::well_known::Rfc2822)
            .map_err(|e| MailError::Rejected(e.to_string()))?;
        let text = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {date}\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{}",
            self.from, mail.to, mail.subject, mail.body
        );
        let unavailable = |e: std::io::Error| {
            MailError::Unavailable(format!("outbox {}: {e}", self.dir.display()))
        };
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(unavailable)?;
        tokio::fs::write(&path, text).await.map_err(unavailable)?;
        tracing::info!(to = %mail.to, file = %path.display(), "mail written to the outbox");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Email;

    #[tokio::test]
    async fn writes_one_file_per_mail() {
        let dir = tempfile::tempdir().expect("dir");
        let outbox = OutboxMailer::new(dir.path().join("outbox"), "finance <noreply@localhost>");
        let mail = Mail {
            to: Email::parse("ada@example.com").expect("email"),
            subject: "Your code".into(),
            body: "Your code is 123456\r\n".into(),
        };
        outbox.send(&mail).await.expect("sent");
        let files: Vec<_> = std::fs::read_dir(outbox.dir()).expect("dir").collect();
        assert_eq!(files.len(), 1);
        let path = files[0].as_ref().expect("entry").path();
        assert!(path.to_string_lossy().ends_with("ada@example.com.eml"));
        let text = std::fs::read_to_string(path).expect("read");
        assert!(text.contains("To: ada@example.com\r\n"));
        assert!(text.ends_with("Your code is 123456\r\n"));
    }

    #[tokio::test]
    async fn an_unwritable_outbox_is_unavailable() {
        let dir = tempfile::tempdir().expect("dir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").expect("write");
        let outbox = OutboxMailer::new(blocker.join("outbox"), "x@localhost");
        let mail = Mail {
            to: Email::parse("a@example.com").expect("e"),
            subject: "s".into(),
            body: "b".into(),
        };
        assert!(matches!(
            outbox.send(&mail).await,
            Err(MailError::Unavailable(_))
        ));
    }
}
