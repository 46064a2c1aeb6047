use super::{App, Error};
use crate::domain::{CreatedWebhook, NewWebhook, UserId, ValidationError, WebhookId, WebhookInput};
use crate::ports::SendError;

/// Webhooks one user may keep.
pub const MAX_WEBHOOKS: usize = 20;

impl App {
    /// Adds a webhook to the owner's: its URL must not be (or resolve to) a private
    /// address unless the deployment allows it. Answers with its signing secret, which is
    /// stored sealed and never shown again.
    pub async fn create_webhook(
        &self,
        owner: UserId,
        input: &WebhookInput,
    ) -> Result<CreatedWebhook, Error> {
        let hook = NewWebhook::parse(input)?;
        if let Err(SendError::Refused(why)) = self.webhook_sender.check(&hook.url).await {
            return Err(ValidationError::new("url", why).into());
        }
        if self.webhooks.webhooks(owner).await?.len() >= MAX_WEBHOOKS {
            return Err(ValidationError::new(
                "url",
                format!("you have {MAX_WEBHOOKS} webhooks already: delete one first"),
            )
            .into());
        }
        let secret = new_secret();
        let sealed = self.sealer.seal(&secret);
        let webhook = self
            .webhooks
            .create_webhook(owner, WebhookId::random(), &hook, &sealed, self.clock.now())
            .await?;
        Ok(CreatedWebhook { webhook, secret })
    }
}

/// `whsec_` and 32 random bytes in hex.
fn new_secret() -> String {
    use rand::RngExt;
    let bytes: [u8; 32] = rand::rng().random();
    format!("whsec_{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Webhook, WebhookStatus};
    use crate::usecases::testing::Mocks;

    fn input(url: &str) -> WebhookInput {
        WebhookInput {
            url: url.into(),
            events: vec!["movement.created".into()],
        }
    }

    #[tokio::test]
    async fn stores_the_secret_sealed_and_shows_it_once() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        m.sender.expect_check().returning(|_| Ok(()));
        m.webhooks.expect_webhooks().returning(|_| Ok(Vec::new()));
        m.sealer
            .expect_seal()
            .returning(|s| format!("sealed:{s}").into_bytes());
        m.webhooks
            .expect_create_webhook()
            .withf(|_, _, hook, sealed, _| {
                hook.url.as_str() == "https://example.com/hook"
                    && sealed.starts_with(b"sealed:whsec_")
            })
            .returning(|_, id, hook, _, at| {
                Ok(Webhook {
                    id,
                    url: hook.url.as_str().into(),
                    events: hook.events.names(),
                    created_at: at,
                    status: WebhookStatus::Active,
                    failing_since: None,
                })
            });
        let created = m
            .app()
            .create_webhook(owner, &input("https://example.com/hook"))
            .await
            .expect("created");
        assert!(created.secret.starts_with("whsec_"), "{}", created.secret);
        assert_eq!(created.secret.len(), 6 + 64);
        assert_eq!(created.webhook.events, ["movement.created"]);
    }

    #[tokio::test]
    async fn a_private_address_is_refused_and_nothing_is_stored() {
        let mut m = Mocks::new();
        m.sender
            .expect_check()
            .returning(|_| Err(SendError::Refused("127.0.0.1 is loopback".into())));
        let err = m
            .app()
            .create_webhook(UserId::random(), &input("http://localhost/hook"))
            .await
            .expect_err("refused");
        assert!(
            matches!(&err, Error::Invalid(v) if v.to_string().contains("loopback")),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn bad_input_is_refused_before_anything_is_asked() {
        let m = Mocks::new();
        let bad = WebhookInput {
            url: "ftp://example.com".into(),
            events: vec!["movement.exploded".into()],
        };
        let err = m
            .app()
            .create_webhook(UserId::random(), &bad)
            .await
            .expect_err("refused");
        let Error::Invalid(v) = err else {
            panic!("{err:?}")
        };
        let fields: Vec<&str> = v.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["url", "events"]);
    }
}
