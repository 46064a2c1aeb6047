//! The SQL store, written once for SQLite and Postgres.
//!
//! Both engines take the same statements (`$N` placeholders, `ON CONFLICT`, `RETURNING`,
//! row-value comparison), so the only differences are how a write transaction starts and
//! how a row is locked. Each aggregate is a file of its own, holding its row types (read
//! with `FromRow`) and the one SQL text of each of its operations; [`sql_store!`] puts
//! them together into a store for each engine.

pub(crate) mod accounts;
pub(crate) mod housekeeping;
pub(crate) mod limits;
pub(crate) mod movement_rows;
pub(crate) mod movements;
pub(crate) mod otp;
pub(crate) mod rates;
pub(crate) mod reports;
pub(crate) mod schedules;
pub(crate) mod transfers;
pub(crate) mod users;

use crate::domain::Refusal;
use crate::ports::{Cause, StoreError};

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

/// Defines `$store` over `$pool` with every repository, the OTP store, the rate limits,
/// the purge and the health check; the engine adds the sign-outs.
///
/// `begin` is the statement that opens a write transaction; `lock` is appended to the
/// reads that must block concurrent writers of the same row; `ilike` is the engine's
/// case-insensitive LIKE (Postgres' `ILIKE`, which its trigram index serves; SQLite's
/// `LIKE`, case-insensitive for ASCII letters); `fts` says whether the engine has the FTS5
/// trigram table `movements_search` (SQLite); `engine` is what the engine
/// keeps for doing some things its own way (writing movements, following sign-outs).
macro_rules! sql_store {
    ($(#[$doc:meta])* $store:ident, db = $db:ty, pool = $pool:ty, begin = $begin:literal, lock = $lock:literal, ilike = $ilike:literal, fts = $fts:literal, engine = $engine:ty) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $store {
            pool: $pool,
            /// Every write goes through this one; it may be `pool` itself.
            writer: $pool,
            /// Lists, search and reports go here while it is up to date (see
            /// [`$crate::adapters::sql::Replica`]).
            replica: $crate::adapters::sql::Replica<$pool>,
            engine: $engine,
        }

        impl $store {
            /// Wraps an open pool whose database has been migrated, for reads and writes.
            pub fn new(pool: $pool) -> Self {
                Self::with_writer(pool.clone(), pool)
            }

            /// Reads through `pool` and writes through `writer`, both on one database.
            pub fn with_writer(pool: $pool, writer: $pool) -> Self {
                Self { pool, writer, replica: Default::default(), engine: Default::default() }
            }

            pub fn pool(&self) -> &$pool {
                &self.pool
            }

            /// Where lists, search and reports read: the replica while it keeps up, else
            /// the primary. Nothing a write reads back right after goes here.
            fn lists(&self) -> &$pool {
                self.replica.pool().unwrap_or(&self.pool)
            }

            async fn begin_write(&self) -> Result<sqlx::Transaction<'static, $db>, StoreError> {
                Ok(self.writer.begin_with($begin).await?)
            }
        }

        $crate::adapters::sql::users::user_repository!($store);
        $crate::adapters::sql::accounts::account_repository!($store, db = $db, lock = $lock);
        $crate::adapters::sql::movements::movement_repository!($store, db = $db, ilike = $ilike, fts = $fts);
        $crate::adapters::sql::transfers::transfer_repository!($store, db = $db);
        $crate::adapters::sql::rates::rate_repository!($store, db = $db);
        $crate::adapters::sql::reports::report_repository!($store, db = $db);
        $crate::adapters::sql::schedules::schedule_repository!($store, db = $db);
        $crate::adapters::sql::otp::otp_store!($store, lock = $lock);
        $crate::adapters::sql::limits::rate_limits!($store);
        $crate::adapters::sql::housekeeping::housekeeping_and_health!($store);
    };
}

pub(crate) use sql_store;

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
