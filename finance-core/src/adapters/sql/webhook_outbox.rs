//! The webhooks' outbox, written in the transaction of the change it tells of: a delivery
//! row per event and listening webhook, which the servers then claim and send
//! (`webhooks.rs`). A change that rolls back takes its deliveries with it; one that
//! commits has them, whichever server dies next.

use time::OffsetDateTime;
use uuid::Uuid;

use super::engine::{Engine, Run, V};
use super::movement_rows::ROWS_PER_INSERT;
use super::reports::SPENT_IN_MONTH;
use super::{SqlStore, corrupt};
use crate::domain::{AccountId, EventId, Hooked, Money, Movement, month_end, month_start};
use crate::ports::StoreError;

/// A webhook `w` that is active and listens to the event type `{type}` (an SQL
/// expression).
macro_rules! listens {
    ($kind:expr) => {
        concat!(
            "w.disabled_at IS NULL AND (w.events = ',*,' OR w.events LIKE '%,' || ",
            $kind,
            " || ',%')"
        )
    };
}

impl<E: Engine> SqlStore<E> {
    /// Writes each event's deliveries: one per active webhook of the account's members
    /// that listens to it. An event written for two accounts (a transfer) reaches a member
    /// of both once.
    pub(crate) async fn hook(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        events: &[Hooked],
    ) -> Result<(), StoreError> {
        for chunk in events.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "WITH v (event_id, account_id, type, at, data) AS (",
            );
            sql.push_values(chunk, |mut row, h| {
                row.push_bind(V(&h.id.0))
                    .push_bind(V(&h.account_id.0))
                    .push_bind(V(h.kind.name()))
                    .push_bind(V(&h.at))
                    .push_bind(V(h.data.as_str()));
            });
            sql.push(concat!(
                ") INSERT INTO webhook_deliveries \
                 (event_id, webhook_id, type, created_at, data, next_at) \
                 SELECT v.event_id, w.id, v.type, v.at, v.data, v.at FROM v \
                 JOIN account_members m ON m.account_id = v.account_id \
                 JOIN webhooks w ON w.user_id = m.user_id WHERE ",
                listens!("v.type"),
                " ON CONFLICT DO NOTHING"
            ));
            sql.build().run(&mut *conn).await?;
        }
        Ok(())
    }

    /// Whether any webhook is enabled, anywhere.
    pub(crate) async fn any_webhook(
        conn: &mut <E::Db as sqlx::Database>::Connection,
    ) -> Result<bool, StoreError> {
        let any: Option<(i32,)> =
            sqlx::query::<E::Db>("SELECT 1 FROM webhooks WHERE disabled_at IS NULL LIMIT 1")
                .optional(&mut *conn)
                .await?;
        Ok(any.is_some())
    }

    /// `account.deleted` to the webhooks of the account's members, written before the
    /// account (and its members) go.
    pub(crate) async fn hook_account_deleted(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        account: AccountId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let data = serde_json::json!({"id": account, "account_id": account}).to_string();
        sqlx::query::<E::Db>(concat!(
            "INSERT INTO webhook_deliveries \
             (event_id, webhook_id, type, created_at, data, next_at) \
             SELECT $1, w.id, 'account.deleted', $2, $3, $2 FROM account_members m \
             JOIN webhooks w ON w.user_id = m.user_id WHERE m.account_id = $4 AND ",
            listens!("'account.deleted'")
        ))
        .bind(V(&EventId::random().0))
        .bind(V(&at))
        .bind(V(data.as_str()))
        .bind(V(&account.0))
        .run(&mut *conn)
        .await?;
        Ok(())
    }

    /// `budget.exceeded` for each budget of the account's members (with a webhook
    /// listening) that `m`, just written, took past its limit in its month, unless it
    /// fired this month already: `budget_alerts` holds one row per budget and month, so
    /// of two movements racing past it only one fires it. How many fired.
    /// Whether any webhook anywhere listens to `budget.exceeded`: one cheap look, so a
    /// batch of writes sums no month's spending when nobody would be told.
    pub(crate) async fn budgets_watched(
        conn: &mut <E::Db as sqlx::Database>::Connection,
    ) -> Result<bool, StoreError> {
        let watched: Option<(i32,)> = sqlx::query::<E::Db>(concat!(
            "SELECT 1 FROM webhooks w WHERE ",
            listens!("'budget.exceeded'"),
            " LIMIT 1"
        ))
        .optional(&mut *conn)
        .await?;
        Ok(watched.is_some())
    }

    pub(crate) async fn alert_budgets(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        m: &Movement,
    ) -> Result<u64, StoreError> {
        let (from, to) = (month_start(m.occurred_on), month_end(m.occurred_on));
        let currency = m.amount.currency();
        let mut fired = 0;
        for category in spending_categories(m) {
            let over: Vec<(Uuid, i64, String)> =
                sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
                    "SELECT b.owner_id, b.amount, ({SPENT_IN_MONTH}) FROM budgets b \
                 JOIN account_members am ON am.user_id = b.owner_id AND am.account_id = $1 \
                 WHERE b.category = $4 AND b.currency = $5 \
                 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.user_id = b.owner_id AND {}) \
                 AND NOT EXISTS (SELECT 1 FROM budget_alerts x WHERE x.owner_id = b.owner_id \
                   AND x.category = b.category AND x.month = $2)",
                    listens!("'budget.exceeded'")
                )))
                .bind(V(&m.account_id.0))
                .bind(V(&from))
                .bind(V(&to))
                .bind(V(category))
                .bind(V(currency.code()))
                .all(&mut *conn)
                .await?;
            for (owner, limit, spent) in over {
                let spent: i128 = spent.parse().map_err(|e| corrupt("spent", e))?;
                if spent <= i128::from(limit) {
                    continue;
                }
                let first = sqlx::query::<E::Db>(
                    "INSERT INTO budget_alerts (owner_id, category, month, movement_id, at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(V(&owner))
                .bind(V(category))
                .bind(V(&from))
                .bind(V(&m.id.0))
                .bind(V(&m.updated_at))
                .run(&mut *conn)
                .await?
                    == 1;
                if !first {
                    continue;
                }
                let data = serde_json::json!({
                    "category": category,
                    "month": format!("{:04}-{:02}", from.year(), u8::from(from.month())),
                    "currency": currency.code(),
                    "budget": Money::from_minor(limit, currency),
                    "spent": Money::from_minor(i64::try_from(spent).unwrap_or(i64::MAX), currency),
                    "account_id": m.account_id,
                    "movement": m,
                })
                .to_string();
                sqlx::query::<E::Db>(concat!(
                    "INSERT INTO webhook_deliveries \
                     (event_id, webhook_id, type, created_at, data, next_at) \
                     SELECT $1, w.id, 'budget.exceeded', $2, $3, $2 FROM webhooks w \
                     WHERE w.user_id = $4 AND ",
                    listens!("'budget.exceeded'")
                ))
                .bind(V(&EventId::random().0))
                .bind(V(&m.updated_at))
                .bind(V(data.as_str()))
                .bind(V(&owner))
                .run(&mut *conn)
                .await?;
                fired += 1;
            }
        }
        Ok(fired)
    }
}

/// The categories a movement spends in: its own if it is an expense, or its parts' that
/// are; a transfer's leg spends in none.
fn spending_categories(m: &Movement) -> Vec<&str> {
    if m.transfer_id.is_some() {
        return Vec::new();
    }
    let mut out: Vec<&str> = match &m.splits {
        Some(parts) => parts
            .iter()
            .filter(|p| p.amount.minor() < 0)
            .map(|p| p.category.as_str())
            .collect(),
        None => m
            .category
            .as_deref()
            .filter(|_| m.amount.minor() < 0)
            .into_iter()
            .collect(),
    };
    out.sort_unstable();
    out.dedup();
    out
}
