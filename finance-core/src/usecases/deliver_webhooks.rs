use std::time::Instant;

use super::{App, Error};
use crate::domain::{Attempt, GIVE_UP_AFTER, WebhookUrl, event_body, retry_delay, sign_event};
use crate::ports::{Claimed, Finished, Mail, Outcome};

/// How long an endpoint has to answer.
pub const DELIVERY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a claim keeps other servers off a delivery: well past the timeout, so only
/// a server that died (or stalled for this long) loses it to another.
pub const CLAIM_LEASE: time::Duration = time::Duration::seconds(30);
/// Deliveries one round claims and sends at once.
pub const DELIVERY_BATCH: u16 = 32;

impl App {
    /// Claims the deliveries due now that no other server holds, sends them at once, and
    /// records each attempt: delivered on a 2xx, else tried again with backoff for 24
    /// hours with the same event id; an endpoint failing for 24 hours without a success is
    /// disabled and its owner mailed. How many were claimed.
    pub async fn deliver_webhooks(&self) -> Result<usize, Error> {
        let claimed = self
            .webhooks
            .claim_deliveries(self.clock.now(), CLAIM_LEASE, DELIVERY_BATCH)
            .await?;
        let n = claimed.len();
        let mut sends = tokio::task::JoinSet::new();
        for c in claimed {
            let app = self.clone();
            sends.spawn(async move { app.deliver(c).await });
        }
        while let Some(done) = sends.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "recording a webhook delivery failed"),
                Err(e) => tracing::warn!(error = %e, "a webhook delivery task failed"),
            }
        }
        Ok(n)
    }

    async fn deliver(&self, c: Claimed) -> Result<(), Error> {
        let at = self.clock.now();
        let started = Instant::now();
        let answer = match (
            WebhookUrl::parse(&c.url),
            self.sealer.open(&c.sealed_secret),
        ) {
            (Ok(url), Some(secret)) => {
                let body = event_body(c.event_id, &c.kind, c.created_at, &c.data);
                let signature = sign_event(&secret, at.unix_timestamp(), &body);
                self.webhook_sender
                    .send(&url, body, signature, DELIVERY_TIMEOUT)
                    .await
                    .map_err(|e| e.to_string())
            }
            (Err(e), _) => Err(e.to_string()),
            (_, None) => Err("the secret cannot be read with this server's key file".into()),
        };
        let (status, error) = match answer {
            Ok(s) if (200..300).contains(&s) => (Some(s), None),
            Ok(s) => (Some(s), Some(format!("answered {s}"))),
            Err(e) => (None, Some(e)),
        };
        let now = self.clock.now();
        let outcome = if error.is_none() {
            Outcome::Delivered
        } else if now - c.created_at >= GIVE_UP_AFTER {
            Outcome::GaveUp
        } else {
            let jitter: f64 = rand::random();
            Outcome::Retry(now + retry_delay(c.attempts + 1, jitter))
        };
        let failed = error.is_some();
        let finished = Finished {
            webhook_id: c.webhook_id,
            event_id: c.event_id,
            attempt: Attempt {
                at,
                status,
                error,
                duration_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
            },
            outcome,
        };
        let failing_since = self.webhooks.finish_delivery(&finished).await?;
        if failed && failing_since.is_some_and(|since| now - since >= GIVE_UP_AFTER) {
            self.disable_failing(&c, now).await?;
        }
        Ok(())
    }

    /// Disables an endpoint that failed for 24 hours and tells its owner (once: only the
    /// server that disabled it mails).
    async fn disable_failing(&self, c: &Claimed, now: time::OffsetDateTime) -> Result<(), Error> {
        let Some(owner) = self.webhooks.disable_webhook(c.webhook_id, now).await? else {
            return Ok(());
        };
        let mail = Mail {
            to: owner,
            subject: "Your finance webhook was disabled".into(),
            body: format!(
                "Deliveries to your webhook {url} (id {id}) have failed for 24 hours, so it \
                 was disabled and its pending deliveries dropped.\r\n\r\n\
                 See what it answered: finance webhook deliveries {id}\r\n\
                 (or GET /v1/webhooks/{id}/deliveries). Once it works again, add it anew:\r\n\
                 \x20 finance webhook add {url}\r\n",
                url = c.url,
                id = c.webhook_id,
            ),
        };
        if let Err(e) = self.mailer.send(&mail).await {
            tracing::warn!(error = %e, webhook = %c.webhook_id, "mailing the owner of a disabled webhook failed");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::domain::{EventId, WebhookId};
    use crate::ports::SendError;
    use crate::usecases::testing::Mocks;

    fn claimed(attempts: u32, age: time::Duration, now: time::OffsetDateTime) -> Claimed {
        Claimed {
            webhook_id: WebhookId::random(),
            event_id: EventId::random(),
            url: "https://example.com/hook".into(),
            sealed_secret: b"sealed".to_vec(),
            kind: "movement.created".into(),
            created_at: now - age,
            data: r#"{"id":"m"}"#.into(),
            attempts,
        }
    }

    /// A run of one claimed delivery answered `answer`; what was recorded, and the mail.
    async fn run(
        c: Claimed,
        answer: Result<u16, SendError>,
        failing_since: Option<time::OffsetDateTime>,
    ) -> (Finished, Vec<Mail>) {
        let mut m = Mocks::new();
        let finished = Arc::new(Mutex::new(None));
        let mails = Arc::new(Mutex::new(Vec::new()));
        m.webhooks
            .expect_claim_deliveries()
            .return_once(move |_, _, _| Ok(vec![c]));
        m.sealer
            .expect_open()
            .returning(|_| Some("whsec_test".into()));
        m.sender
            .expect_send()
            .withf(|_, body, signature, timeout| {
                body.contains(r#""type":"movement.created""#)
                    && signature.starts_with("t=")
                    && *timeout == DELIVERY_TIMEOUT
            })
            .return_once(move |_, _, _, _| answer);
        let seen = finished.clone();
        m.webhooks.expect_finish_delivery().returning(move |f| {
            *seen.lock().expect("lock") = Some(f.clone());
            Ok(failing_since)
        });
        m.webhooks
            .expect_disable_webhook()
            .returning(|_, _| Ok(crate::domain::Email::parse("owner@example.com").ok()));
        let sent = mails.clone();
        m.mailer.expect_send().returning(move |mail| {
            sent.lock().expect("lock").push(mail.clone());
            Ok(())
        });
        assert_eq!(m.app().deliver_webhooks().await.expect("ran"), 1);
        let f = finished.lock().expect("lock").take().expect("recorded");
        let mails = mails.lock().expect("lock").clone();
        (f, mails)
    }

    #[tokio::test]
    async fn a_2xx_is_delivered() {
        let now = Mocks::new().now;
        let (f, mails) = run(claimed(0, time::Duration::ZERO, now), Ok(204), None).await;
        assert_eq!(f.outcome, Outcome::Delivered);
        assert_eq!((f.attempt.status, f.attempt.error), (Some(204), None));
        assert!(mails.is_empty());
    }

    #[tokio::test]
    async fn a_failure_is_retried_soon_then_less_often() {
        let now = Mocks::new().now;
        let (f, _) = run(claimed(0, time::Duration::ZERO, now), Ok(500), Some(now)).await;
        let Outcome::Retry(next) = f.outcome else {
            panic!("{:?}", f.outcome)
        };
        assert!(
            next - now >= time::Duration::seconds(5) && next - now < time::Duration::seconds(7)
        );
        assert_eq!(f.attempt.error.as_deref(), Some("answered 500"));
        let (f, _) = run(
            claimed(5, time::Duration::hours(1), now),
            Err(SendError::Failed("no answer within 5 s".into())),
            Some(now - time::Duration::hours(1)),
        )
        .await;
        let Outcome::Retry(next) = f.outcome else {
            panic!("{:?}", f.outcome)
        };
        assert!(next - now >= time::Duration::minutes(85), "{}", next - now);
        assert_eq!(f.attempt.status, None);
    }

    #[tokio::test]
    async fn after_24_hours_of_failure_it_gives_up_and_the_owner_is_mailed() {
        let now = Mocks::new().now;
        let (f, mails) = run(
            claimed(20, time::Duration::hours(25), now),
            Ok(503),
            Some(now - time::Duration::hours(25)),
        )
        .await;
        assert_eq!(f.outcome, Outcome::GaveUp);
        assert_eq!(mails.len(), 1);
        assert!(mails[0].body.contains("disabled"), "{}", mails[0].body);
        // Failing for less than a day (a success came between): kept.
        let (_, mails) = run(
            claimed(20, time::Duration::hours(25), now),
            Ok(503),
            Some(now - time::Duration::hours(2)),
        )
        .await;
        assert!(mails.is_empty());
    }
}
