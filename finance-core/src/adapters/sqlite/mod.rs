//! The embedded default store: one SQLite file, no service to run.

use std::str::FromStr;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use time::{Duration, OffsetDateTime};

mod batch;
mod group_commit;
mod imports;

use super::sql::sql_store;
use crate::domain::*;
use crate::ports::*;

sql_store!(
    /// Every repository and the OTP store on SQLite.
    ///
    /// Writers start with `BEGIN IMMEDIATE`, which takes the database's write lock up
    /// front: SQLite has no row locks, and a deferred transaction that reads and then
    /// writes could deadlock with another one doing the same.
    SqliteStore,
    db = sqlx::Sqlite,
    pool = SqlitePool,
    begin = "BEGIN IMMEDIATE",
    lock = "",
    ilike = "LIKE",
    fts = true,
    engine = group_commit::GroupCommit
);

super::sql::limits::sign_outs!(SqliteStore);

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
