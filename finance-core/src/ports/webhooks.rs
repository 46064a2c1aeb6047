//! Webhooks as stored, the outbox of their deliveries, the sealing of their secrets and
//! the HTTP calls that deliver them.

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::StoreError;
use crate::domain::{
    Attempt, Delivery, Email, EventId, Movement, NewWebhook, UserId, Webhook, WebhookId, WebhookUrl,
};

/// A delivery this server claimed: everything it needs to send it, and nobody else sends
/// it until `lease` is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub webhook_id: WebhookId,
    pub event_id: EventId,
    pub url: String,
    /// The webhook's secret as [`SecretSealer::seal`] made it.
    pub sealed_secret: Vec<u8>,
    pub kind: String,
    pub created_at: OffsetDateTime,
    pub data: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// What became of a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Failed; tried again at this time.
    Retry(OffsetDateTime),
    /// Failed for 24 hours: no more attempts.
    GaveUp,
}

/// An attempt to record, with what it came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub webhook_id: WebhookId,
    pub event_id: EventId,
    pub attempt: Attempt,
    pub outcome: Outcome,
}

/// The webhooks and their deliveries (the outbox rows are written by the repositories'
/// write paths, in the change's transaction).
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait WebhookRepository: Send + Sync {
    /// Stores a new webhook of `owner` with its sealed secret.
    async fn create_webhook(
        &self,
        owner: UserId,
        id: WebhookId,
        hook: &NewWebhook,
        sealed_secret: &[u8],
        at: OffsetDateTime,
    ) -> Result<Webhook, StoreError>;

    /// The owner's webhooks, oldest first.
    async fn webhooks(&self, owner: UserId) -> Result<Vec<Webhook>, StoreError>;

    /// Deletes one of the owner's webhooks with its deliveries (`NotFound` if it is not
    /// theirs).
    async fn delete_webhook(&self, owner: UserId, id: WebhookId) -> Result<(), StoreError>;

    /// The latest `limit` deliveries of one of the owner's webhooks, newest first, each
    /// with its attempts (`NotFound` if it is not theirs).
    async fn deliveries(
        &self,
        owner: UserId,
        id: WebhookId,
        limit: u16,
    ) -> Result<Vec<Delivery>, StoreError>;

    /// Claims up to `limit` deliveries due at `now` that nobody holds (or whose holder's
    /// lease ran out: it died), for `lease`. Two servers never claim the same one at once.
    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u16,
    ) -> Result<Vec<Claimed>, StoreError>;

    /// Records an attempt and its outcome, releasing the claim. Answers since when the
    /// webhook fails without a success between (`None` after a success).
    async fn finish_delivery(&self, f: &Finished) -> Result<Option<OffsetDateTime>, StoreError>;

    /// Disables a webhook, failing its pending deliveries; its owner's email, or `None`
    /// if it was disabled (or deleted) already.
    async fn disable_webhook(
        &self,
        id: WebhookId,
        at: OffsetDateTime,
    ) -> Result<Option<Email>, StoreError>;

    /// Writes `budget.exceeded` for each budget of the account's members that `movement`
    /// (just written) took past its limit this month, once per budget and month, for
    /// members with a webhook listening. How many fired.
    async fn budget_alerts(&self, movement: &Movement) -> Result<u64, StoreError>;
}

/// Keeps webhook secrets unreadable at rest: the service must sign with them, so they
/// are encrypted, not hashed.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
pub trait SecretSealer: Send + Sync {
    fn seal(&self, secret: &str) -> Vec<u8>;
    /// `None` if it was not sealed with this key (or was tampered with).
    fn open(&self, sealed: &[u8]) -> Option<String>;
}

/// Why a call to an endpoint did not happen or did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The URL's host is, or resolves to, an address that may not be called.
    #[error("{0}")]
    Refused(String),
    /// No answer in time, no connection, or a broken one.
    #[error("{0}")]
    Failed(String),
}

/// Calls webhook endpoints.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait WebhookSender: Send + Sync {
    /// Refuses a URL whose host is or resolves to an address that may not be called.
    async fn check(&self, url: &WebhookUrl) -> Result<(), SendError>;

    /// POSTs `body` (JSON) with `Finance-Signature: signature`; the status answered
    /// within `timeout`. Redirects are not followed.
    async fn send(
        &self,
        url: &WebhookUrl,
        body: String,
        signature: String,
        timeout: std::time::Duration,
    ) -> Result<u16, SendError>;
}
