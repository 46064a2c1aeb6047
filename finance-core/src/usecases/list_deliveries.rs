use super::{App, Error};
use crate::domain::{DeliveryList, UserId, WebhookId};

/// Deliveries `GET /webhooks/{id}/deliveries` shows: the latest.
pub const DELIVERIES_SHOWN: u16 = 100;

impl App {
    /// The latest deliveries of one of the owner's webhooks, newest first, each with
    /// every attempt and its answer; not found if it is not theirs.
    pub async fn list_deliveries(
        &self,
        owner: UserId,
        id: WebhookId,
    ) -> Result<DeliveryList, Error> {
        Ok(DeliveryList {
            items: self
                .webhooks
                .deliveries(owner, id, DELIVERIES_SHOWN)
                .await?,
        })
    }
}
