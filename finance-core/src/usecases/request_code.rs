use hmac::{Hmac, Mac};
use rand::RngExt;
use sha2::Sha256;

use super::{App, Error};
use crate::domain::Email;
use crate::ports::{Cause, Mail, MailError, SendPermit, StoredOtp};

impl App {
    /// Sends a fresh 6-digit sign-in code to `email`, replacing any pending one.
    ///
    /// The outcome does not depend on whether the email belongs to a user, so the answer
    /// reveals nothing about who has an account. Sends per email are limited.
    pub async fn request_code(&self, email: &str) -> Result<(), Error> {
        let email = Email::parse(email)?;
        let now = self.clock.now();
        let s = &self.auth;
        if let SendPermit::RetryAfter(wait) = self
            .otps
            .permit_send(&email, s.max_sends, s.send_window, now)
            .await?
        {
            return Err(Error::RateLimited(wait));
        }
        // ThreadRng is a CSPRNG seeded from the OS; a uniform draw avoids modulo bias.
        let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
        let otp = StoredOtp {
            hash: self.code_hash(&email, &code)?,
            expires_at: now + s.code_ttl,
            attempts_left: s.max_attempts,
        };
        self.otps.save_otp(&email, &otp).await?;
        let minutes = s.code_ttl.whole_minutes();
        let mail = Mail {
            to: email,
            subject: format!("Your finance sign-in code: {code}"),
            body: format!(
                "Your finance sign-in code is {code}\r\n\r\n\
                 It is valid for {minutes} minutes and can be used once.\r\n\
                 If you did not ask for it, ignore this message: nobody can sign in without it.\r\n"
            ),
        };
        let sent = self.mailer.send(&mail).await;
        let outcome = match &sent {
            Ok(()) => "sent",
            Err(MailError::Rejected(_)) => "rejected",
            Err(MailError::Unavailable(_)) => "unavailable",
        };
        metrics::counter!("finance_mail_total", "outcome" => outcome).increment(1);
        match sent {
            Ok(()) => Ok(()),
            // A mail server refusing this recipient for good (no such mailbox, say) is the
            // address's problem, not the service's: the answer stays the one every address
            // gets, which also keeps it from telling addresses apart.
            Err(MailError::Rejected(reason)) => {
                tracing::warn!(%reason, "the mail server refused the sign-in mail");
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The stored form of a code: HMAC-SHA256 under the deployment's pepper, bound to the
    /// email, hex-encoded. Without the pepper a leaked store does not reveal live codes.
    pub(crate) fn code_hash(&self, email: &Email, code: &str) -> Result<String, Error> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.auth.code_pepper)
            .map_err(|e| Error::Internal(Cause::context("keying the code hash", e)))?;
        mac.update(email.as_str().as_bytes());
        mac.update(b"\0");
        mac.update(code.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use crate::ports::{MailError, SendPermit};
    use crate::usecases::{Error, testing::Mocks};
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn stores_a_hash_and_mails_the_code() {
        let mut m = Mocks::new();
        let now = m.now;
        m.otps
            .expect_permit_send()
            .returning(|_, _, _, _| Ok(SendPermit::Granted));
        let saved = Arc::new(Mutex::new(None));
        let s = saved.clone();
        m.otps.expect_save_otp().times(1).returning(move |_, otp| {
            *s.lock().expect("lock") = Some(otp.clone());
            Ok(())
        });
        let mailed = Arc::new(Mutex::new(None));
        let mm = mailed.clone();
        m.mailer.expect_send().times(1).returning(move |mail| {
            *mm.lock().expect("lock") = Some(mail.clone());
            Ok(())
        });
        let app = m.app();
        app.request_code(" Ada@Example.com ").await.expect("sent");

        let mail = mailed.lock().expect("lock").clone().expect("mail sent");
        assert_eq!(mail.to.as_str(), "ada@example.com");
        let code: String = mail
            .body
            .chars()
            .filter(|c| c.is_ascii_digit())
            .take(6)
            .collect();
        assert_eq!(code.len(), 6);
        assert!(mail.body.contains("10 minutes"));
        let otp = saved.lock().expect("lock").clone().expect("otp saved");
        assert_eq!(otp.hash, app.code_hash(&mail.to, &code).expect("hash"));
        assert!(
            !otp.hash.contains(&code),
            "the store must not hold the code itself"
        );
        assert_eq!(otp.expires_at, now + time::Duration::minutes(10));
        assert_eq!(otp.attempts_left, 5);
    }

    #[tokio::test]
    async fn rate_limited_sends_nothing() {
        let mut m = Mocks::new();
        m.otps
            .expect_permit_send()
            .returning(|_, _, _, _| Ok(SendPermit::RetryAfter(time::Duration::seconds(42))));
        let err = m.app().request_code("a@example.com").await;
        assert!(matches!(err, Err(Error::RateLimited(w)) if w == time::Duration::seconds(42)));
    }

    #[tokio::test]
    async fn mail_outage_is_unavailable_and_bad_email_is_invalid() {
        let mut m = Mocks::new();
        m.otps
            .expect_permit_send()
            .returning(|_, _, _, _| Ok(SendPermit::Granted));
        m.otps.expect_save_otp().returning(|_, _| Ok(()));
        m.mailer
            .expect_send()
            .returning(|_| Err(MailError::Unavailable("smtp down".into())));
        let app = m.app();
        assert!(matches!(
            app.request_code("a@example.com").await,
            Err(Error::Unavailable(_))
        ));
        assert!(matches!(
            app.request_code("not-an-email").await,
            Err(Error::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn a_permanently_refused_recipient_gets_the_usual_answer() {
        let mut m = Mocks::new();
        m.otps
            .expect_permit_send()
            .returning(|_, _, _, _| Ok(SendPermit::Granted));
        m.otps.expect_save_otp().returning(|_, _| Ok(()));
        m.mailer
            .expect_send()
            .times(1)
            .returning(|_| Err(MailError::Rejected("550 no such user".into())));
        assert!(matches!(
            m.app().request_code("gone@example.com").await,
            Ok(())
        ));
    }
}
