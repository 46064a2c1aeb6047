//! The change feed as stored: rows naming what changed, read in an order that no late
//! commit can fall behind.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreError;
use crate::domain::{AccountId, FeedAction, FeedEntity, FeedPosition, UserId};

/// A row of the feed as read: where it is, and the record it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub position: FeedPosition,
    /// The account whose members see it; `None` for a row of one user's own.
    pub account_id: Option<AccountId>,
    pub at: OffsetDateTime,
    pub entity: FeedEntity,
    pub entity_id: String,
    pub action: FeedAction,
}

/// Reads the change feed (it is written by every write path, in its transaction).
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait FeedRepository: Send + Sync {
    /// At most `limit` rows `user` may see after `after`, in feed order: the rows of the
    /// accounts they are a member of, written since they joined, and their own. Only rows
    /// of transactions older than every transaction still in flight are read, so a row can
    /// never appear later behind a position already handed out.
    async fn changes(
        &self,
        user: UserId,
        after: FeedPosition,
        limit: u16,
    ) -> Result<Vec<FeedRow>, StoreError>;

    /// The position after every row readable now, for anyone.
    async fn feed_head(&self) -> Result<FeedPosition, StoreError>;

    /// The position up to which rows were purged: a reader behind it has missed some.
    async fn feed_floor(&self) -> Result<FeedPosition, StoreError>;
}
