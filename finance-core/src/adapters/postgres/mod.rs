//! The server store: PostgreSQL.

use std::str::FromStr;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

mod imports;
mod replica;
mod sign_outs;

use super::sql::movements::{PG_ADD_MOVEMENT, PG_ADD_PLAIN_MOVEMENT, WrittenRow};
use super::sql::{Engine, SqlStore};
use crate::domain::*;
use crate::ports::*;

/// Every repository and the OTP store on PostgreSQL.
pub type PgStore = SqlStore<sign_outs::SignOuts>;

/// Writers lock the account row with `SELECT … FOR UPDATE`; a movement is one statement;
/// sign-outs are followed through notifications (see `sign_outs`).
#[async_trait]
impl Engine for sign_outs::SignOuts {
    type Db = sqlx::Postgres;
    const BEGIN: &'static str = "BEGIN";
    const LOCK_BALANCE: &'static str = "SELECT a.balance, a.currency, a.archived, m.role, a.reconciled_on \
         FROM accounts a JOIN account_members m ON m.account_id = a.id \
         WHERE a.id = $1 AND m.user_id = $2 FOR UPDATE OF a FOR SHARE OF m";
    const LOCK_SEND_WINDOW: &'static str =
        "SELECT window_start, count FROM otp_sends WHERE email = $1 FOR UPDATE";
    const ILIKE: &'static str = "ILIKE";
    const FTS: bool = false;
    const FEED_PAGE: &'static str = "SELECT c.xid::text AS xid, c.seq, c.account_id, c.at, \
         c.entity, c.entity_id, c.action FROM changes c \
         LEFT JOIN account_members m ON m.account_id = c.account_id AND m.user_id = $1 \
         WHERE (c.xid, c.seq) > ($2::text::xid8, $3) \
           AND c.xid < pg_snapshot_xmin(pg_current_snapshot()) \
           AND (c.user_id = $1 OR (c.user_id IS NULL AND m.user_id IS NOT NULL \
                AND c.at >= m.joined_at)) \
         ORDER BY c.xid, c.seq LIMIT $4";
    const FEED_HEAD: &'static str = "SELECT xid::text, seq FROM changes \
         WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY xid DESC, seq DESC LIMIT 1";
    const FEED_FLOOR: &'static str = "SELECT xid::text, seq FROM changes_floor";
    const FEED_RAISE_FLOOR: &'static str = "UPDATE changes_floor f SET xid = t.xid, seq = t.seq \
         FROM (SELECT xid, seq FROM changes WHERE at < $1 ORDER BY xid DESC, seq DESC LIMIT 1) t \
         WHERE (t.xid, t.seq) > (f.xid, f.seq)";
    const FEED_PURGE: &'static str = "DELETE FROM changes WHERE at < $1";
    const WEBHOOKS_DUE: &'static str = "SELECT webhook_id, event_id FROM webhook_deliveries \
         WHERE state = 'pending' AND next_at <= $1 \
         AND (claimed_until IS NULL OR claimed_until < $1) \
         ORDER BY next_at LIMIT $2 FOR UPDATE SKIP LOCKED";

    async fn write_movement(
        store: &PgStore,
        owner: UserId,
        movement: &Movement,
        key: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError> {
        store.write_movement(owner, movement, key).await
    }

    async fn import_batch(
        store: &PgStore,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError> {
        store.import_batch(owner, account, rows).await
    }
}

impl PgStore {
    /// Connects to `url` with a pool of at most `max_connections` and runs the migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(Cause::context("bad Postgres URL", e)))?;
        Self::connect_with(options, max_connections).await
    }

    /// Connects with prepared options (a test uses them to pick its own schema).
    pub async fn connect_with(
        options: PgConnectOptions,
        max_connections: u32,
    ) -> Result<Self, StoreError> {
        // No ping before each use (sqlx's default): it doubles the round trips of every
        // query. A connection that died fails its own query instead, which answers 503,
        // and the pool replaces it; the outage tests check that recovery.
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false)
            .acquire_timeout(StdDuration::from_secs(5))
            // A connection must never serve the next request inside a transaction that a
            // dropped future left open: it is closed instead (the server then rolls the
            // transaction back). See vendor/README.md for the fix that makes this rare.
            .after_release(|conn, _| {
                Box::pin(async move {
                    let clean = !sqlx::Connection::is_in_transaction(conn);
                    if !clean {
                        tracing::warn!(
                            "a pooled connection came back inside a transaction; closing it"
                        );
                    }
                    Ok(clean)
                })
            })
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("../migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(Cause::context("migrating Postgres", e)))?;
        let store = Self::new(pool);
        store.engine.follow(options);
        Ok(store)
    }

    /// Sends lists, search and reports to the streaming replica at `url` while it keeps
    /// up (see `replica`); the primary answers them meanwhile, and everything else always.
    /// The replica is connected lazily: it may be down when the server starts.
    pub fn with_replica(mut self, url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(Cause::context("bad read replica URL", e)))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false)
            .acquire_timeout(StdDuration::from_secs(5))
            .connect_lazy_with(options);
        self.replica = super::sql::Replica::new(pool.clone());
        replica::watch(self.pool.clone(), pool, self.replica.current());
        Ok(self)
    }
}

impl PgStore {
    /// One movement in one round trip (see [`PG_ADD_MOVEMENT`]); only a replayed key
    /// takes a second, to read the first movement back.
    async fn write_movement(
        &self,
        owner: UserId,
        m: &Movement,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError> {
        let parts = m.splits.as_deref().unwrap_or_default();
        let statement = if parts.is_empty() && m.tags.is_empty() {
            PG_ADD_PLAIN_MOVEMENT
        } else {
            PG_ADD_MOVEMENT
        };
        let row = sqlx::query_as::<_, WrittenRow>(statement)
            .bind(owner.0)
            .bind(m.account_id.0)
            .bind(m.id.0)
            .bind(m.amount.minor())
            .bind(&m.description)
            .bind(&m.category)
            .bind(m.occurred_on)
            .bind(m.created_at)
            .bind(idempotency.as_ref().map(|k| k.key.as_str()))
            .bind(idempotency.as_ref().map(|k| k.fingerprint.as_str()))
            .bind(m.updated_at)
            .bind(m.created_by.id.0)
            .bind(m.splits.as_deref().map(splits_to_text))
            .bind(tags_to_text(&m.tags))
            .bind(m.rule_id.map(|r| r.0))
            .bind(
                parts
                    .iter()
                    .map(|p| p.category.as_str())
                    .collect::<Vec<_>>(),
            )
            .bind(parts.iter().map(|p| p.amount.minor()).collect::<Vec<_>>())
            .bind(&m.tags)
            .bind(serde_json::to_string(m).map_err(|e| super::sql::corrupt("movement", e))?)
            .bind(crate::domain::EventId::random().0)
            .fetch_one(&self.writer)
            .await
            .map_err(|e| match &e {
                // 22003, numeric_value_out_of_range: the balance left the bigint range.
                sqlx::Error::Database(db) if db.code().as_deref() == Some("22003") => {
                    StoreError::BalanceOverflow
                }
                _ => e.into(),
            })?;
        if !row.found {
            return Err(StoreError::NotFound);
        }
        let role = super::sql::accounts::role(row.role.as_deref().unwrap_or_default())?;
        access(Some(role), Action::Write)?;
        if !row.open {
            return Err(StoreError::Refused(if row.archived {
                Refusal::AccountArchived
            } else {
                Refusal::Reconciled
            }));
        }
        let currency = m.amount.currency();
        match (row.balance, row.currency, idempotency) {
            (Some(balance), Some(stored), _) if stored == currency.code() => {
                // Rarely anyone listens: only then is the month's spending summed, after the
                // one-statement write. The movement is in; a failure here is logged, and the
                // next expense of that category this month fires the alert instead.
                if row.watched
                    && let Err(e) = self.budget_alerts(m).await
                {
                    tracing::warn!(error = %e, "checking budgets for budget.exceeded failed");
                }
                Ok(Added::Created {
                    movement: m.clone(),
                    balance: Money::from_minor(balance, currency),
                })
            }
            (Some(_), stored, _) => Err(StoreError::Backend(Cause::from(format!(
                "account {} holds {stored:?}, the movement {}",
                m.account_id,
                currency.code()
            )))),
            (None, _, Some(key)) => {
                let mut conn = self.pool.acquire().await?;
                Self::replay(&mut conn, owner, &key, currency).await
            }
            (None, _, None) => Err(StoreError::Backend(Cause::from(
                "a movement without a key was not written",
            ))),
        }
    }
}
