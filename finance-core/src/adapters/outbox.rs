//! The development mailer: each message becomes an `.eml` file in a folder, and one log
//! line names it, so a person running the server locally finds their code without SMTP.

use std::path::PathBuf;

use async_trait::async_trait;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::domain::Email;
use crate::ports::{Cause, Mail, MailError, Mailer};

/// How long mail stays in the outbox unless configured otherwise.
pub const DEFAULT_KEEP: Duration = Duration::days(7);

/// Writes mail into `dir` as RFC 5322 files named by time and a hash of the recipient, and
/// purges files older than `keep`.
#[derive(Debug, Clone)]
pub struct OutboxMailer {
    dir: PathBuf,
    from: String,
    keep: Duration,
}

impl OutboxMailer {
    pub fn new(dir: impl Into<PathBuf>, from: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            from: from.into(),
            keep: DEFAULT_KEEP,
        }
    }

    /// Keeps mail for `keep` before [`Mailer::purge_sent`] removes it.
    pub fn keep_for(mut self, keep: Duration) -> Self {
        self.keep = keep;
        self
    }

    /// A file name of bounded length whatever the address (an address may be 254
    /// characters, past what some file systems take in a name): the time, then a hash.
    fn file_name(mail: &Mail, now: OffsetDateTime) -> String {
        let hash = Self::recipient_hash(&mail.to);
        format!("{}-{hash}.eml", now.unix_timestamp_nanos())
    }

    /// What names a recipient's files (a hash: the address itself may be too long).
    fn recipient_hash(to: &Email) -> String {
        hex::encode(&Sha256::digest(to.as_str().as_bytes())[..8])
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The outbox unusable: mail cannot be kept or removed.
    fn unavailable(&self, e: std::io::Error) -> MailError {
        MailError::Unavailable(Cause::context(format!("outbox {}", self.dir.display()), e))
    }

    /// The mail files in the outbox (none while it does not exist).
    async fn mail_files(&self) -> Result<Vec<tokio::fs::DirEntry>, MailError> {
        let mut entries = match tokio::fs::read_dir(&self.dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.unavailable(e)),
        };
        let mut files = Vec::new();
        while let Some(entry) = entries
            .next_entry()
            .await
            .map_err(|e| self.unavailable(e))?
        {
            if entry.path().extension().is_some_and(|e| e == "eml") {
                files.push(entry);
            }
        }
        Ok(files)
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let now = OffsetDateTime::now_utc();
        let path = self.dir.join(Self::file_name(mail, now));
        let date = now
            .format(&time::format_description::well_known::Rfc2822)
            .map_err(|e| MailError::Rejected(Cause::context("dating the mail", e)))?;
        let text = format!(
            "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {date}\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{}",
            self.from, mail.to, mail.subject, mail.body
        );
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| self.unavailable(e))?;
        tokio::fs::write(&path, text)
            .await
            .map_err(|e| self.unavailable(e))?;
        tracing::info!(to = %mail.to, file = %path.display(), "mail written to the outbox");
        Ok(())
    }

    async fn purge_sent(&self, now: OffsetDateTime) -> Result<u64, MailError> {
        let cutoff = std::time::SystemTime::from(now - self.keep);
        let mut removed = 0;
        for entry in self.mail_files().await? {
            let Ok(modified) = entry.metadata().await.and_then(|m| m.modified()) else {
                continue;
            };
            if modified < cutoff && removed_file(&entry).await {
                removed += 1;
            }
        }
        Ok(removed)
    }

    async fn forget(&self, to: &Email) -> Result<u64, MailError> {
        let suffix = format!("-{}.eml", Self::recipient_hash(to));
        let mut removed = 0;
        for entry in self.mail_files().await? {
            let named = entry
                .file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(&suffix));
            if named && removed_file(&entry).await {
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Removes a file; another process may have removed it meanwhile, the same outcome.
async fn removed_file(entry: &tokio::fs::DirEntry) -> bool {
    tokio::fs::remove_file(entry.path()).await.is_ok()
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
        assert!(path.to_string_lossy().ends_with(".eml"));
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

    #[tokio::test]
    async fn file_names_stay_short_for_the_longest_address() {
        let dir = tempfile::tempdir().expect("dir");
        let outbox = OutboxMailer::new(dir.path(), "x@localhost");
        let long = format!(
            "{}@{}.{}.{}.example.com",
            "a".repeat(64),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(49)
        );
        assert_eq!(long.len(), 254);
        let mail = Mail {
            to: Email::parse(&long).expect("valid"),
            subject: "s".into(),
            body: "b".into(),
        };
        outbox.send(&mail).await.expect("sent");
        let name = std::fs::read_dir(dir.path())
            .expect("dir")
            .next()
            .expect("a file")
            .expect("entry")
            .file_name();
        assert!(name.len() < 64, "{name:?}");
    }

    #[tokio::test]
    async fn forgets_only_the_mail_of_one_address() {
        let dir = tempfile::tempdir().expect("dir");
        let outbox = OutboxMailer::new(dir.path(), "x@localhost");
        let to = |a: &str| Mail {
            to: Email::parse(a).expect("e"),
            subject: "s".into(),
            body: "b".into(),
        };
        outbox.send(&to("gone@example.com")).await.expect("sent");
        outbox.send(&to("gone@example.com")).await.expect("sent");
        outbox.send(&to("stays@example.com")).await.expect("sent");
        let gone = Email::parse("gone@example.com").expect("e");
        assert_eq!(outbox.forget(&gone).await.expect("forget"), 2);
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
            .collect();
        assert_eq!(left.len(), 1);
        assert!(left[0].contains("To: stays@example.com"), "{left:?}");
        assert_eq!(outbox.forget(&gone).await.expect("forget"), 0);
    }

    #[tokio::test]
    async fn purges_only_mail_older_than_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let outbox = OutboxMailer::new(dir.path(), "x@localhost").keep_for(Duration::hours(1));
        let mail = Mail {
            to: Email::parse("a@example.com").expect("e"),
            subject: "s".into(),
            body: "b".into(),
        };
        outbox.send(&mail).await.expect("sent");
        std::fs::write(dir.path().join("notes.txt"), "not mail").expect("write");
        let now = OffsetDateTime::now_utc();
        assert_eq!(outbox.purge_sent(now).await.expect("purge"), 0);
        assert_eq!(
            outbox
                .purge_sent(now + Duration::hours(2))
                .await
                .expect("purge"),
            1
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left, ["notes.txt"]);
    }
}
