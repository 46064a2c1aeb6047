//! The watcher of a streaming replica: lists, search and reports read from it only while
//! it has replayed, within the last two checks, everything the primary had written at the
//! check before. So those reads are at most about two seconds behind the primary (and not
//! behind at all where the primary waits for the replica, `synchronous_commit =
//! remote_apply`); a replica that lags further, stops, or cannot be reached is left alone
//! until it has caught up, and the primary answers meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use sqlx::PgPool;

/// How often the replica's progress is compared with the primary's.
const EVERY: StdDuration = StdDuration::from_secs(1);

/// Where the primary's log ends, in bytes; on a standby, how far it has replayed.
const POSITION: &str = "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() \
     ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn)::bigint";

/// Checks until the store is gone (the flag's last other holder dropped).
pub(super) fn watch(primary: PgPool, replica: PgPool, current: &Arc<AtomicBool>) {
    let current = Arc::downgrade(current);
    tokio::spawn(async move {
        // The primary's position one check ago: the replica must have reached it.
        let mut mark: Option<i64> = None;
        loop {
            let Some(flag) = current.upgrade() else {
                return;
            };
            let (primary_at, replica_at) = tokio::join!(position(&primary), position(&replica));
            let keeps_up = match (mark, &replica_at) {
                (Some(mark), Ok(at)) => *at >= mark,
                _ => false,
            };
            // On /metrics, so that a replica left alone is seen before anyone asks why
            // the primary is busier.
            metrics::gauge!("finance_read_replica_in_use").set(if keeps_up { 1.0 } else { 0.0 });
            if flag.swap(keeps_up, Ordering::Relaxed) != keeps_up {
                match &replica_at {
                    Ok(_) if keeps_up => tracing::info!(
                        "the read replica is up to date; lists and reports read from it"
                    ),
                    Ok(at) => {
                        tracing::warn!(replayed = at, primary = ?mark, "the read replica lags; lists and reports read from the primary")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the read replica is unreachable; lists and reports read from the primary")
                    }
                }
            }
            mark = primary_at.ok();
            drop(flag);
            tokio::time::sleep(EVERY).await;
        }
    });
}

async fn position(pool: &PgPool) -> Result<i64, sqlx::Error> {
    tokio::time::timeout(EVERY, sqlx::query_scalar(POSITION).fetch_one(pool))
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?
}
