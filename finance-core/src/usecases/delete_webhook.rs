use super::{App, Error};
use crate::domain::{UserId, WebhookId};

impl App {
    /// Deletes one of the owner's webhooks and what it had yet to deliver; not found if
    /// it is not theirs.
    pub async fn delete_webhook(&self, owner: UserId, id: WebhookId) -> Result<(), Error> {
        Ok(self.webhooks.delete_webhook(owner, id).await?)
    }
}
