//! Reads the sign-in code back out of the mail the service sent: from the outbox folder,
//! or from the Maildir a real SMTP server delivered into. Shared by the core's and the
//! end-to-end tests.

use std::path::PathBuf;

/// Where a test reads the mail the service sent.
pub enum Inbox {
    Outbox(PathBuf),
    /// A Maildir that a real SMTP server delivers into.
    #[allow(dead_code)]
    Maildir(PathBuf),
}

impl Inbox {
    /// The code in the newest mail to `email` that carries one (an invitation may be newer).
    pub fn code_for(&self, email: &str) -> String {
        let mut codes: Vec<String> = self
            .mails_to(email)
            .iter()
            .filter_map(|m| extract_code(m))
            .collect();
        codes
            .pop()
            .unwrap_or_else(|| panic!("no mail with a code to {email}"))
    }

    /// Every mail to `email`, oldest first.
    #[allow(dead_code)]
    pub fn mails_to(&self, email: &str) -> Vec<String> {
        let dir = match self {
            Inbox::Outbox(d) => d.clone(),
            Inbox::Maildir(d) => d.join("new"),
        };
        let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let text = std::fs::read_to_string(e.path()).ok()?;
                let to = text
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("to:"))?;
                to.contains(email)
                    .then_some((e.metadata().ok()?.modified().ok()?, text))
            })
            .collect();
        mails.sort();
        mails.into_iter().map(|(_, text)| text).collect()
    }
}

/// The 6 digits after "code is " in the body.
pub fn extract_code(mail: &str) -> Option<String> {
    let body = mail
        .split("\r\n\r\n")
        .nth(1)
        .or_else(|| mail.split("\n\n").nth(1))?;
    let at = body.find("code is ")? + "code is ".len();
    let code: String = body[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (code.len() == 6).then_some(code)
}

#[test]
fn codes_are_found_in_mail_bodies() {
    let mail = "Subject: x\r\n\r\nYour finance sign-in code is 042917\r\n";
    assert_eq!(extract_code(mail), Some("042917".into()));
    assert_eq!(extract_code("Subject: x\r\n\r\nno code"), None);
}
