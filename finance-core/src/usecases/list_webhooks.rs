use super::{App, Error};
use crate::domain::{UserId, WebhookList};

impl App {
    /// The owner's webhooks, oldest first, without their secrets.
    pub async fn list_webhooks(&self, owner: UserId) -> Result<WebhookList, Error> {
        Ok(WebhookList {
            items: self.webhooks.webhooks(owner).await?,
        })
    }
}
