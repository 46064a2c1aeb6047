//! What the store's code is written against: [`Engine`] (what differs between SQLite and
//! Postgres) and [`Sql`] (the values and rows the statements use, and running them).
//!
//! The repositories are plain generic impls over `SqlStore<E: Engine>`. sqlx states what a
//! database can do as bounds on other types (`Uuid: Encode<DB>`, `&mut DB::Connection:
//! Executor`), and Rust does not carry such bounds from a trait to its users, so each impl
//! would repeat them all. Instead [`Sql`] names them once as supertraits, which Rust does
//! carry: a value is bound as `V(value)` and a row read with [`Run::one`] and friends.

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::query::Query;
use sqlx::{Database, Encode, Executor, FromRow, IntoArguments, Pool, Type};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::SqlStore;
use super::accounts::{AccountRow, BalanceRow};
use super::feed::FeedRowRaw;
use super::history::HistoryRow;
use super::limits::SignOutRow;
use super::member_rows::{InvitationRow, MemberRow, RoleRow};
use super::movement_rows::{KeyRow, MovementRow, OwnedMovementRow};
use super::otp::{CodeRow, SendWindowRow};
use super::rates::{HoldingRow, RateRow};
use super::reconciliations::ReconciliationRow;
use super::reports::DayFlowRow;
use super::rules::RuleRow;
use super::schedules::ScheduleRow;
use super::users::UserRow;
use super::webhooks::{AttemptRow, ClaimRow, DeliveryRow, WebhookRow};
use crate::domain::{AccountId, ImportRow, Imported, Movement, UserId};
use crate::ports::{Added, IdempotencyKey, StoreError};

/// A future the repositories can hold across an await in their `Send` futures.
pub type Fut<'e, T> = Pin<Box<dyn Future<Output = T> + Send + 'e>>;

/// What one SQL engine does its own way; everything else is the same code for both.
#[async_trait]
pub trait Engine: Clone + std::fmt::Debug + Default + Send + Sync + 'static {
    type Db: Sql;

    /// The statement that opens a write transaction.
    const BEGIN: &'static str;
    /// Reads an account's balance for a writer, locking the row until the transaction
    /// ends where the engine has row locks, with the writer's role (`$1` the account, `$2`
    /// the writer; no row for a non-member). The membership row is locked too (shared).
    const LOCK_BALANCE: &'static str;
    /// Reads a send window, locked like [`Self::LOCK_BALANCE`] (`$1` the email).
    const LOCK_SEND_WINDOW: &'static str;
    /// The case-insensitive LIKE: Postgres' `ILIKE`, which its trigram index serves;
    /// SQLite's `LIKE`, case-insensitive for ASCII letters.
    const ILIKE: &'static str;
    /// Whether the engine has the FTS5 trigram table `movements_search` (SQLite).
    const FTS: bool;
    /// A page of the change feed: `$1` the reader, `$2`/`$3` the position after which to
    /// read (transaction id as text, seq), `$4` how many.
    const FEED_PAGE: &'static str;
    /// The last readable position of the feed (none when it is empty).
    const FEED_HEAD: &'static str;
    /// The position up to which the feed was purged.
    const FEED_FLOOR: &'static str;
    /// Raises the floor past the feed's rows written before `$1`.
    const FEED_RAISE_FLOOR: &'static str;
    /// Deletes the feed's rows written before `$1`.
    const FEED_PURGE: &'static str;
    /// Up to `$2` deliveries due at `$1` that nobody holds, locked for the claim (on
    /// Postgres skipping those another server is claiming).
    const WEBHOOKS_DUE: &'static str;

    /// Adds one movement (Postgres in one statement, SQLite in group commits).
    async fn write_movement(
        store: &SqlStore<Self>,
        owner: UserId,
        movement: &Movement,
        key: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError>;

    /// Adds a bank file's rows (Postgres in array statements, SQLite in multi-row inserts).
    async fn import_batch(
        store: &SqlStore<Self>,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError>;
}

/// A value the database `Self` can bind (by reference), with sqlx's `Encode` and `Type`
/// behind it.
pub trait Binds<T: ?Sized>: Database {
    fn encode(value: &T, buf: &mut Self::ArgumentBuffer) -> Result<IsNull, BoxDynError>;
    fn produces(value: &T) -> Option<Self::TypeInfo>;
    fn type_info() -> Self::TypeInfo;
    fn compatible(ty: &Self::TypeInfo) -> bool;
}

impl<D: Database, T: ?Sized> Binds<T> for D
where
    for<'a> &'a T: Encode<'a, D> + Type<D>,
{
    fn encode(value: &T, buf: &mut D::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        value.encode_by_ref(buf)
    }

    fn produces(value: &T) -> Option<D::TypeInfo> {
        Encode::<D>::produces(&value)
    }

    fn type_info() -> D::TypeInfo {
        <&T as Type<D>>::type_info()
    }

    fn compatible(ty: &D::TypeInfo) -> bool {
        <&T as Type<D>>::compatible(ty)
    }
}

/// A bound value: `query(…).bind(V(&id))`, for any `D: Sql`. sqlx encodes it at once, so
/// the query does not keep the borrow.
pub struct V<'a, T: ?Sized>(pub &'a T);

impl<'q, D: Binds<T>, T: ?Sized> Encode<'q, D> for V<'_, T> {
    fn encode_by_ref(&self, buf: &mut D::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        D::encode(self.0, buf)
    }

    fn produces(&self) -> Option<D::TypeInfo> {
        D::produces(self.0)
    }
}

impl<D: Binds<T>, T: ?Sized> Type<D> for V<'_, T> {
    fn type_info() -> D::TypeInfo {
        D::type_info()
    }

    fn compatible(ty: &D::TypeInfo) -> bool {
        D::compatible(ty)
    }
}

/// A row the database `Self` can read into `T`.
pub trait Reads<T>: Database {
    fn read(row: &Self::Row) -> Result<T, sqlx::Error>;
}

impl<D: Database, T> Reads<T> for D
where
    T: for<'r> FromRow<'r, D::Row>,
{
    fn read(row: &D::Row) -> Result<T, sqlx::Error> {
        T::from_row(row)
    }
}

/// Where a statement runs: on a pool, or on one connection (inside a transaction).
pub enum On<'e, D: Database> {
    Pool(&'e Pool<D>),
    Conn(&'e mut D::Connection),
}

impl<'e, D: Database> From<&'e Pool<D>> for On<'e, D> {
    fn from(pool: &'e Pool<D>) -> Self {
        On::Pool(pool)
    }
}

impl<'e, D: Database> From<&'e mut D::Connection> for On<'e, D> {
    fn from(conn: &'e mut D::Connection) -> Self {
        On::Conn(conn)
    }
}

/// How many rows a write touched.
pub trait Affected {
    fn rows_affected(&self) -> u64;
}

#[cfg(feature = "sqlite")]
impl Affected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

#[cfg(feature = "postgres")]
impl Affected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        self.rows_affected()
    }
}

/// A query as the store builds it.
pub type Q<'e, D> = Query<'e, D, <D as Database>::Arguments>;

/// Running a statement, on a pool or a connection.
pub trait Runs: Database {
    /// Runs a write; how many rows it touched.
    fn execute<'e>(q: Q<'e, Self>, on: On<'e, Self>) -> Fut<'e, Result<u64, sqlx::Error>>;
    fn fetch_optional<'e>(
        q: Q<'e, Self>,
        on: On<'e, Self>,
    ) -> Fut<'e, Result<Option<Self::Row>, sqlx::Error>>;
    fn fetch_all<'e>(
        q: Q<'e, Self>,
        on: On<'e, Self>,
    ) -> Fut<'e, Result<Vec<Self::Row>, sqlx::Error>>;
}

impl<D> Runs for D
where
    D: Database,
    for<'c> &'c mut D::Connection: Executor<'c, Database = D>,
    D::Arguments: IntoArguments<D>,
    D::QueryResult: Affected,
{
    fn execute<'e>(q: Q<'e, D>, on: On<'e, D>) -> Fut<'e, Result<u64, sqlx::Error>> {
        Box::pin(async move {
            let done = match on {
                On::Pool(pool) => q.execute(pool).await?,
                On::Conn(conn) => q.execute(conn).await?,
            };
            Ok(done.rows_affected())
        })
    }

    fn fetch_optional<'e>(
        q: Q<'e, D>,
        on: On<'e, D>,
    ) -> Fut<'e, Result<Option<D::Row>, sqlx::Error>> {
        Box::pin(async move {
            match on {
                On::Pool(pool) => q.fetch_optional(pool).await,
                On::Conn(conn) => q.fetch_optional(conn).await,
            }
        })
    }

    fn fetch_all<'e>(q: Q<'e, D>, on: On<'e, D>) -> Fut<'e, Result<Vec<D::Row>, sqlx::Error>> {
        Box::pin(async move {
            match on {
                On::Pool(pool) => q.fetch_all(pool).await,
                On::Conn(conn) => q.fetch_all(conn).await,
            }
        })
    }
}

/// The store's vocabulary: every value type it binds, every row type it reads, and
/// running a statement.
pub trait Sql:
    Runs
    + Binds<Uuid>
    + Binds<Option<Uuid>>
    + Binds<i64>
    + Binds<Option<i64>>
    + Binds<Vec<u8>>
    + Binds<i32>
    + Binds<bool>
    + Binds<String>
    + Binds<Option<String>>
    + Binds<str>
    + Binds<OffsetDateTime>
    + Binds<Option<OffsetDateTime>>
    + Binds<Date>
    + Binds<Option<Date>>
    + Reads<AccountRow>
    + Reads<BalanceRow>
    + Reads<UserRow>
    + Reads<MovementRow>
    + Reads<OwnedMovementRow>
    + Reads<KeyRow>
    + Reads<SignOutRow>
    + Reads<CodeRow>
    + Reads<SendWindowRow>
    + Reads<RateRow>
    + Reads<HoldingRow>
    + Reads<DayFlowRow>
    + Reads<ScheduleRow>
    + Reads<RuleRow>
    + Reads<HistoryRow>
    + Reads<FeedRowRaw>
    + Reads<WebhookRow>
    + Reads<ClaimRow>
    + Reads<DeliveryRow>
    + Reads<AttemptRow>
    + Reads<(Uuid, Uuid)>
    + Reads<(Option<OffsetDateTime>,)>
    + Reads<(String,)>
    + Reads<(Uuid, i64, String)>
    + Reads<ReconciliationRow>
    + Reads<(i64, String)>
    + Reads<(String, Option<String>)>
    + Binds<i32>
    + Reads<RoleRow>
    + Reads<InvitationRow>
    + Reads<MemberRow>
    + Reads<(Uuid,)>
    + Reads<(OffsetDateTime,)>
    + Reads<(i64,)>
    + Reads<(String, i64)>
    + Reads<(Option<i64>,)>
    + Reads<(i32,)>
    + Reads<(Option<i32>,)>
    + Reads<(Option<String>, String, i64, String)>
    + Reads<(Uuid, Option<Date>, String)>
    + Reads<(Uuid, String, String)>
    + Reads<(String, String, i64, String)>
{
}

#[cfg(feature = "sqlite")]
impl Sql for sqlx::Sqlite {}

#[cfg(feature = "postgres")]
impl Sql for sqlx::Postgres {}

/// Running a built query and reading its rows, on a pool or a connection.
pub trait Run<'e, D: Sql>: Sized {
    /// Runs a write; how many rows it touched.
    fn run(self, on: impl Into<On<'e, D>>) -> Fut<'e, Result<u64, sqlx::Error>>;
    /// The row, if there is one.
    fn optional<T: Send + 'e>(
        self,
        on: impl Into<On<'e, D>>,
    ) -> Fut<'e, Result<Option<T>, sqlx::Error>>
    where
        D: Reads<T>;
    /// The one row there must be.
    fn one<T: Send + 'e>(self, on: impl Into<On<'e, D>>) -> Fut<'e, Result<T, sqlx::Error>>
    where
        D: Reads<T>;
    /// Every row.
    fn all<T: Send + 'e>(self, on: impl Into<On<'e, D>>) -> Fut<'e, Result<Vec<T>, sqlx::Error>>
    where
        D: Reads<T>;
}

impl<'e, D: Sql> Run<'e, D> for Q<'e, D> {
    fn run(self, on: impl Into<On<'e, D>>) -> Fut<'e, Result<u64, sqlx::Error>> {
        let done = D::execute(self, on.into());
        Box::pin(done)
    }

    fn optional<T: Send + 'e>(
        self,
        on: impl Into<On<'e, D>>,
    ) -> Fut<'e, Result<Option<T>, sqlx::Error>>
    where
        D: Reads<T>,
    {
        let row = D::fetch_optional(self, on.into());
        Box::pin(async move { row.await?.map(|r| D::read(&r)).transpose() })
    }

    fn one<T: Send + 'e>(self, on: impl Into<On<'e, D>>) -> Fut<'e, Result<T, sqlx::Error>>
    where
        D: Reads<T>,
    {
        let row = D::fetch_optional(self, on.into());
        Box::pin(async move {
            let row = row.await?.ok_or(sqlx::Error::RowNotFound)?;
            D::read(&row)
        })
    }

    fn all<T: Send + 'e>(self, on: impl Into<On<'e, D>>) -> Fut<'e, Result<Vec<T>, sqlx::Error>>
    where
        D: Reads<T>,
    {
        let rows = D::fetch_all(self, on.into());
        Box::pin(async move {
            let rows = rows.await?;
            rows.iter().map(D::read).collect()
        })
    }
}
