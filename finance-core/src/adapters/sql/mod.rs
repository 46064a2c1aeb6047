//! The SQL store, written once for SQLite and Postgres.
//!
//! Both engines take the same statements (`$N` placeholders, `ON CONFLICT`, `RETURNING`,
//! row-value comparison), so the only differences are how a write transaction starts and
//! how a row is locked ([`Engine`]). Each aggregate is a file of its own, holding its row
//! types (read with `FromRow`) and its port's impl for [`SqlStore`], with the one SQL text
//! of each of its operations.

pub(crate) mod accounts;
pub(crate) mod engine;
pub(crate) mod feed;
pub(crate) mod history;
pub(crate) mod housekeeping;
pub(crate) mod journal_import;
pub(crate) mod limits;
pub(crate) mod member_rows;
pub(crate) mod members;
pub(crate) mod movement_pages;
pub(crate) mod movement_rows;
pub(crate) mod movement_writes;
pub(crate) mod movements;
pub(crate) mod otp;
pub(crate) mod rate_writes;
pub(crate) mod rates;
pub(crate) mod reconciliations;
pub(crate) mod reports;
pub(crate) mod rules;
pub(crate) mod schedules;
pub(crate) mod transfers;
pub(crate) mod users;
pub(crate) mod webhook_outbox;
pub(crate) mod webhooks;

use sqlx::Pool;

use crate::domain::Refusal;
use crate::ports::{Cause, StoreError};
pub use engine::Engine;

/// Sorts connection trouble (retry later) from everything else (a bug or bad data), so
/// `?` works on every sqlx call.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(Cause::of(e)),
            sqlx::Error::Database(ref db) if is_transient(db.code().as_deref()) => {
                StoreError::Unavailable(Cause::of(e))
            }
            other => StoreError::Backend(Cause::of(other)),
        }
    }
}

/// SQLite busy/locked (5, 6) and Postgres shutdown or connection classes (57P, 08).
fn is_transient(code: Option<&str>) -> bool {
    matches!(code, Some("5" | "6" | "517" | "262"))
        || code.is_some_and(|c| c.starts_with("57P") || c.starts_with("08"))
}

/// A unique-constraint violation becomes `Refused(why)`; other errors map as usual.
pub(crate) fn map_unique(why: Refusal) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Refused(why),
        _ => e.into(),
    }
}

/// A stored value that no longer passes the domain's rules.
pub(crate) fn corrupt(what: &str, e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Cause::context(format!("stored {what} is invalid"), e))
}

/// A count read back from the database, where a negative one would be a bug.
pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Every repository, the OTP store, the rate limits, the purge and the health check, on
/// the engine `E` (see [`engine`]); the engine adds the sign-outs.
#[derive(Debug)]
pub struct SqlStore<E: Engine> {
    pub(crate) pool: Pool<E::Db>,
    /// Every write goes through this one; it may be `pool` itself.
    pub(crate) writer: Pool<E::Db>,
    /// Lists, search and reports go here while it is up to date (see [`Replica`]).
    pub(crate) replica: Replica<Pool<E::Db>>,
    /// What the engine keeps for doing some things its own way (writing movements,
    /// following sign-outs).
    pub(crate) engine: E,
}

// By hand: a derive would ask for `E::Db: Clone`, which sqlx's databases are not.
impl<E: Engine> Clone for SqlStore<E> {
    fn clone(&self) -> Self {
        Self {
            pool: self.pool.clone(),
            writer: self.writer.clone(),
            replica: self.replica.clone(),
            engine: self.engine.clone(),
        }
    }
}

impl<E: Engine> SqlStore<E> {
    /// Wraps an open pool whose database has been migrated, for reads and writes.
    pub fn new(pool: Pool<E::Db>) -> Self {
        Self::with_writer(pool.clone(), pool)
    }

    /// Reads through `pool` and writes through `writer`, both on one database.
    pub fn with_writer(pool: Pool<E::Db>, writer: Pool<E::Db>) -> Self {
        Self {
            pool,
            writer,
            replica: Default::default(),
            engine: Default::default(),
        }
    }

    pub fn pool(&self) -> &Pool<E::Db> {
        &self.pool
    }

    /// Where lists, search and reports read: the replica while it keeps up, else the
    /// primary. Nothing a write reads back right after goes here.
    pub(crate) fn lists(&self) -> &Pool<E::Db> {
        self.replica.pool().unwrap_or(&self.pool)
    }

    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, E::Db>, StoreError> {
        Ok(self.writer.begin_with(E::BEGIN).await?)
    }
}

/// A read-only copy of the database for lists, search and reports, used only while a
/// watcher vouches that it keeps up (see `postgres::replica`); without one, or while it
/// lags or is unreachable, those reads go to the primary.
#[derive(Clone, Debug)]
pub struct Replica<P> {
    pool: Option<P>,
    current: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl<P> Default for Replica<P> {
    fn default() -> Self {
        Self {
            pool: None,
            current: Default::default(),
        }
    }
}

impl<P> Replica<P> {
    /// A replica that is not used until `current` is set.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn new(pool: P) -> Self {
        Self {
            pool: Some(pool),
            current: Default::default(),
        }
    }

    /// The flag its watcher sets and clears.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn current(&self) -> &std::sync::Arc<std::sync::atomic::AtomicBool> {
        &self.current
    }

    /// The replica's pool, if there is one and it is up to date.
    pub(crate) fn pool(&self) -> Option<&P> {
        self.pool
            .as_ref()
            .filter(|_| self.current.load(std::sync::atomic::Ordering::Relaxed))
    }
}
