//! Counters behind the rate limits and the record of signed-out tokens: kept in Redis when
//! it is configured, so they hold across server instances, else in the SQL database.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreError;
use crate::domain::UserId;

/// The two counts a sliding-window limit weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketCounts {
    /// Events in the current bucket, the one just counted included.
    pub current: u64,
    /// Events in the bucket before it.
    pub previous: u64,
}

/// Atomic counters per key and bucket of time.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait RateLimits: Send + Sync {
    /// Counts one event for `key` in `bucket` and reads the previous bucket's count. The
    /// counter may be forgotten after `expires_at`.
    async fn hit(
        &self,
        key: &str,
        bucket: i64,
        expires_at: OffsetDateTime,
    ) -> Result<BucketCounts, StoreError>;
}

/// What is known of a presented token when asking whether it was signed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenIdentity {
    pub user: UserId,
    /// The token's `jti`.
    pub id: String,
    pub issued_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// Signed-out tokens: one by one until they expire, or all of a user's issued before a time.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait Revocations: Send + Sync {
    /// Refuses this one token from now on (until it expires anyway).
    async fn revoke_token(&self, token: &TokenIdentity) -> Result<(), StoreError>;

    /// Refuses every token of `user` issued before `before`; a later call moves the time on.
    async fn revoke_all(&self, user: UserId, before: OffsetDateTime) -> Result<(), StoreError>;

    /// Whether the token was signed out, alone or with all of its user's.
    async fn is_revoked(&self, token: &TokenIdentity) -> Result<bool, StoreError>;
}
