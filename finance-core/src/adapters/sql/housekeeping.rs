//! The purge of records whose time is over, and the readiness check.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::SqlStore;
use super::engine::{Engine, Run, V};
use crate::ports::{Cutoffs, Health, Housekeeping, PoolStats, Purged, StoreError};

#[async_trait]
impl<E: Engine> Housekeeping for SqlStore<E> {
    async fn purge(&self, cutoffs: &Cutoffs) -> Result<Purged, StoreError> {
        // One statement per table, each its own transaction: nothing ties them, and
        // short writes keep SQLite's single writer free for requests.
        let delete = |sql: &'static str, before: OffsetDateTime| async move {
            let done = sqlx::query::<E::Db>(sql)
                .bind(V(&before))
                .run(&self.writer)
                .await?;
            Ok::<u64, StoreError>(done)
        };
        Ok(Purged {
            idempotency_keys: delete(
                "DELETE FROM idempotency_keys WHERE created_at < $1",
                cutoffs.idempotency_keys,
            )
            .await?,
            codes: delete("DELETE FROM otp_codes WHERE expires_at < $1", cutoffs.codes).await?,
            send_windows: delete(
                "DELETE FROM otp_sends WHERE window_start < $1",
                cutoffs.send_windows,
            )
            .await?,
            rate_counters: delete(
                "DELETE FROM rate_counters WHERE expires_at < $1",
                cutoffs.expired,
            )
            .await?,
            revoked_tokens: delete(
                "DELETE FROM revoked_tokens WHERE expires_at < $1",
                cutoffs.expired,
            )
            .await?,
            changes: self.purge_feed(cutoffs.changes).await?,
            deliveries: self.purge_deliveries(cutoffs.changes).await?,
            mail: 0,
        })
    }
}

#[async_trait]
impl<E: Engine> Health for SqlStore<E> {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query::<E::Db>("SELECT 1").run(&self.pool).await?;
        Ok(())
    }

    /// The reading pool's use (on SQLite the one writer is a pool of its own).
    fn pool_stats(&self) -> Option<PoolStats> {
        Some(PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        })
    }
}
