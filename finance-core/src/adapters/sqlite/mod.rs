//! The embedded default store: one SQLite file, no service to run.

use std::str::FromStr;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

mod batch;
mod group_commit;
mod imports;
mod sign_outs;

use super::sql::{Engine, SqlStore};
use crate::domain::*;
use crate::ports::*;

/// Every repository and the OTP store on SQLite.
pub type SqliteStore = SqlStore<group_commit::GroupCommit>;

/// Writers start with `BEGIN IMMEDIATE`, which takes the database's write lock up front:
/// SQLite has no row locks, and a deferred transaction that reads and then writes could
/// deadlock with another one doing the same. Movements are written in group commits.
#[async_trait]
impl Engine for group_commit::GroupCommit {
    type Db = sqlx::Sqlite;
    const BEGIN: &'static str = "BEGIN IMMEDIATE";
    const LOCK_BALANCE: &'static str = "SELECT a.balance, a.currency, a.archived, m.role, a.reconciled_on \
         FROM accounts a JOIN account_members m ON m.account_id = a.id \
         WHERE a.id = $1 AND m.user_id = $2";
    const LOCK_SEND_WINDOW: &'static str =
        "SELECT window_start, count FROM otp_sends WHERE email = $1";
    const ILIKE: &'static str = "LIKE";
    const FTS: bool = true;
    // One writer at a time: seq order is commit order, and the transaction id is 0.
    const FEED_PAGE: &'static str = "SELECT '0' AS xid, c.seq, c.account_id, c.at, \
         c.entity, c.entity_id, c.action FROM changes c \
         LEFT JOIN account_members m ON m.account_id = c.account_id AND m.user_id = $1 \
         WHERE $2 IS NOT NULL AND c.seq > $3 \
           AND (c.user_id = $1 OR (c.user_id IS NULL AND m.user_id IS NOT NULL \
                AND julianday(c.at) >= julianday(m.joined_at))) \
         ORDER BY c.seq LIMIT $4";
    const FEED_HEAD: &'static str = "SELECT '0', seq FROM changes ORDER BY seq DESC LIMIT 1";
    const FEED_FLOOR: &'static str = "SELECT '0', seq FROM changes_floor";
    const FEED_RAISE_FLOOR: &'static str = "UPDATE changes_floor SET seq = max(seq, \
         coalesce((SELECT max(seq) FROM changes WHERE julianday(at) < julianday($1)), 0))";
    const FEED_PURGE: &'static str = "DELETE FROM changes WHERE julianday(at) < julianday($1)";
    const WEBHOOKS_DUE: &'static str = "SELECT webhook_id, event_id FROM webhook_deliveries \
         WHERE state = 'pending' AND julianday(next_at) <= julianday($1) \
         AND (claimed_until IS NULL OR julianday(claimed_until) < julianday($1)) \
         ORDER BY julianday(next_at) LIMIT $2";

    async fn write_movement(
        store: &SqliteStore,
        owner: UserId,
        movement: &Movement,
        key: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError> {
        store.write_movement(owner, movement, key).await
    }

    async fn import_batch(
        store: &SqliteStore,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError> {
        store.import_batch(owner, account, rows).await
    }
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite:///path/finance.db` or
    /// `sqlite::memory:`) and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(Cause::context(format!("bad SQLite URL {url:?}"), e)))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Full, not WAL's usual Normal: a movement answered 201 must survive a power
            // cut, as it does on Postgres; Normal may lose the last commits then.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(StdDuration::from_secs(30))
            // 512 KiB of page cache per connection rather than SQLite's 2 MiB: nine
            // connections' caches were most of the server's memory, and with writes going
            // on each reader's cache is mostly thrown away anyway (the OS keeps the file).
            .pragma("cache_size", "-512");
        // An in-memory database lives in one connection; more would each see their own.
        let in_memory = url.contains(":memory:");
        let max = if in_memory { 1 } else { 8 };
        // No ping before each use (sqlx's default): a file database does not drop its
        // connections, and the ping is one more hop through each connection's worker thread.
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("../migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(Cause::context("migrating SQLite", e)))?;
        if in_memory {
            return Ok(Self::new(pool));
        }
        // SQLite takes one writer at a time. Writers that meet a held lock sleep and retry
        // (the busy handler, in steps of up to 100 ms), which made p99 latencies of half a
        // second under concurrent writes; one writer connection queues them in order instead,
        // while the other connections keep reading the WAL.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(StdDuration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(Self::with_writer(pool, writer))
    }
}
