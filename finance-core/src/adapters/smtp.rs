//! Mail over SMTP with lettre: TLS, STARTTLS or plain as the URL says, credentials from
//! the URL (`smtps://user:pass@host:465`, `smtp://host:587?tls=required`, `smtp://host:25`).

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::ports::{Cause, Mail, MailError, Mailer};

/// Sends each mail through a pooled SMTP connection.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// Prepares the transport; nothing connects until the first mail.
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Rejected(Cause::context("bad SMTP URL", e)))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from.parse().map_err(|e| {
            MailError::Rejected(Cause::context(format!("bad sender address {from:?}"), e))
        })?;
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        // The same parser `Email::parse` checked the address with.
        let address: lettre::Address = mail
            .to
            .as_str()
            .parse()
            .map_err(|e| MailError::Rejected(Cause::context("bad recipient", e)))?;
        let to = Mailbox::new(None, address);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| MailError::Rejected(Cause::context("building the message", e)))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // A permanent answer (5xx) will not change on retry; anything else (refused
            // connection, timeout, 4xx) may, so the caller can say "try later".
            Err(e) if e.is_permanent() => Err(MailError::Rejected(Cause::of(e))),
            Err(e) => Err(MailError::Unavailable(Cause::of(e))),
        }
    }
}
