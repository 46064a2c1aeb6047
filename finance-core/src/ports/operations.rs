//! What keeps the service running: the health of its backing services, and the purge of
//! records whose time is over.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreError;

/// Whether a backing service answers; used by readiness checks.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait Health: Send + Sync {
    async fn ping(&self) -> Result<(), StoreError>;

    /// The connection pool's use now, for a service that has one.
    fn pool_stats(&self) -> Option<PoolStats> {
        None
    }
}

/// How many connections a pool holds, how many of those are idle, and its ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// The times before which stored records are no longer needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Idempotency keys first used before this.
    pub idempotency_keys: OffsetDateTime,
    /// One-time codes that expired before this.
    pub codes: OffsetDateTime,
    /// Send-count windows that started before this.
    pub send_windows: OffsetDateTime,
    /// Rate-limit counters and signed-out tokens that expire before this.
    pub expired: OffsetDateTime,
    /// Rows of the change feed written before this.
    pub changes: OffsetDateTime,
}

/// How many records a purge removed, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub idempotency_keys: u64,
    pub codes: u64,
    pub send_windows: u64,
    pub rate_counters: u64,
    pub revoked_tokens: u64,
    /// Rows of the change feed past the retention.
    pub changes: u64,
    /// Webhook deliveries done with (delivered or failed) past the feed's retention.
    pub deliveries: u64,
    /// Outbox mail past its age (not a database record; counted here for the one log line).
    pub mail: u64,
}

/// Removes records whose time is over, so the database does not grow with them forever.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait Housekeeping: Send + Sync {
    /// Deletes everything older than its cutoff; what a concurrent request still uses is
    /// either kept whole or gone whole.
    async fn purge(&self, cutoffs: &Cutoffs) -> Result<Purged, StoreError>;
}
