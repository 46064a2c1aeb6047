//! What the reports aggregate, summed in the database and read back as few rows (per
//! day, per category, per account and day), and the budgets. Sums come back as text:
//! Postgres sums bigints into numerics, which may pass `i64`.

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};

use time::{Date, OffsetDateTime};

use super::corrupt;
use crate::domain::{
    AccountId, Budget, CategorySum, Currency, DayFlow, Fed, FeedAction, FeedEntity, Money, UserId,
};
use crate::ports::{ReportRepository, StoreError};

#[derive(sqlx::FromRow)]
pub struct DayFlowRow {
    day: Date,
    currency: String,
    category: Option<String>,
    income: String,
    expense: String,
}

/// A sum read back as text.
pub(crate) fn sum(text: &str) -> Result<i128, StoreError> {
    text.parse().map_err(|e| corrupt("sum", e))
}

pub(crate) fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::parse(code).map_err(|e| corrupt("currency", e))
}

impl TryFrom<DayFlowRow> for DayFlow {
    type Error = StoreError;

    fn try_from(r: DayFlowRow) -> Result<Self, StoreError> {
        Ok(DayFlow {
            day: r.day,
            currency: currency(&r.currency)?,
            category: r.category,
            income: sum(&r.income)?,
            expense: sum(&r.expense)?,
        })
    }
}

/// Keeps only rows whose movement (`column`) carries every one of `tags`.
fn push_tagged<E: Engine>(sql: &mut sqlx::QueryBuilder<E::Db>, column: &str, tags: &[String]) {
    for tag in tags {
        sql.push(format!(
            " AND {column} IN (SELECT movement_id FROM movement_tags WHERE tag = "
        ))
        .push_bind(V(tag.as_str()))
        .push(")");
    }
}

/// What the budget `b` (a row of `budgets`) spent from `$2` to `$3`, as text: its
/// category's expenses and expense parts in the accounts of its currency that its owner is
/// a member of.
pub(crate) const SPENT_IN_MONTH: &str = "SELECT CAST(COALESCE(sum(-f.amount), 0) AS TEXT) \
    FROM accounts a JOIN (SELECT m.account_id, m.amount FROM movements m \
     WHERE m.category = b.category AND m.amount < 0 AND m.transfer_id IS NULL \
     AND m.splits IS NULL AND m.occurred_on >= $2 AND m.occurred_on <= $3 \
     UNION ALL SELECT p.account_id, p.amount FROM movement_parts p \
     WHERE p.category = b.category AND p.amount < 0 \
     AND p.occurred_on >= $2 AND p.occurred_on <= $3) f ON f.account_id = a.id \
    WHERE a.id IN (SELECT account_id FROM account_members WHERE user_id = b.owner_id) \
    AND a.currency = b.currency";

#[async_trait]
impl<E: Engine> ReportRepository for SqlStore<E> {
    async fn day_flows(
        &self,
        owner: UserId,
        from: time::Date,
        to: time::Date,
        tags: &[String],
    ) -> Result<Vec<DayFlow>, StoreError> {
        // Each account's movements of the range come from its (account_id, occurred_on)
        // index (SQLite's covering one), a split one's parts from theirs; each side is
        // summed per day on its own and only those sums leave the database. A day may
        // come once from each side: the report adds them up. (One grouping over both
        // sides made SQLite sort 180,000 rows in a temporary table: 4x slower.)
        let mut sql = sqlx::QueryBuilder::<E::Db>::new("");
        for (i, (table, alias, id, extra)) in [
            (
                "movements",
                "m",
                "m.id",
                " AND m.transfer_id IS NULL AND m.splits IS NULL",
            ),
            ("movement_parts", "m", "m.movement_id", ""),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                sql.push(" UNION ALL ");
            }
            sql.push(format!(
                "SELECT {alias}.occurred_on AS day, a.currency, {alias}.category, \
                 CAST(COALESCE(sum(CASE WHEN {alias}.amount > 0 THEN {alias}.amount ELSE 0 END), 0) AS TEXT) AS income, \
                 CAST(COALESCE(sum(CASE WHEN {alias}.amount < 0 THEN -{alias}.amount ELSE 0 END), 0) AS TEXT) AS expense \
                 FROM accounts a JOIN {table} {alias} ON {alias}.account_id = a.id \
                 WHERE a.id IN (SELECT account_id FROM account_members WHERE user_id = "
            ))
            .push_bind(V(&owner.0))
            .push(format!(") AND {alias}.occurred_on >= "))
            .push_bind(V(&from))
            .push(format!(" AND {alias}.occurred_on <= "))
            .push_bind(V(&to))
            .push(extra);
            push_tagged::<E>(&mut sql, id, tags);
            sql.push(format!(
                " GROUP BY {alias}.occurred_on, a.currency, {alias}.category"
            ));
        }
        sql.build()
            .all::<DayFlowRow>(self.lists())
            .await?
            .into_iter()
            .map(DayFlow::try_from)
            .collect()
    }

    async fn category_sums(&self, owner: UserId) -> Result<Vec<CategorySum>, StoreError> {
        let rows: Vec<(Option<String>, String, i64, String)> = sqlx::query::<E::Db>(
            "SELECT f.category, a.currency, count(*), CAST(sum(f.amount) AS TEXT) \
             FROM accounts a JOIN (SELECT m.account_id, m.category, m.amount FROM movements m \
             WHERE m.transfer_id IS NULL AND m.splits IS NULL \
             UNION ALL SELECT p.account_id, p.category, p.amount FROM movement_parts p) f \
             ON f.account_id = a.id \
             WHERE a.id IN (SELECT account_id FROM account_members WHERE user_id = $1) \
             GROUP BY f.category, a.currency",
        )
        .bind(V(&owner.0))
        .all(self.lists())
        .await?;
        rows.into_iter()
            .map(|(name, code, n, total)| {
                Ok(CategorySum {
                    name,
                    currency: currency(&code)?,
                    count: super::count(n),
                    sum: sum(&total)?,
                })
            })
            .collect()
    }

    async fn tag_counts(&self, owner: UserId) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query::<E::Db>(
            "SELECT t.tag, count(*) FROM movement_tags t \
             WHERE t.account_id IN (SELECT account_id FROM account_members WHERE user_id = $1) \
             GROUP BY t.tag ORDER BY t.tag",
        )
        .bind(V(&owner.0))
        .all(self.lists())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(tag, n)| (tag, super::count(n)))
            .collect())
    }

    async fn balance_history(
        &self,
        owner: UserId,
        after: time::Date,
    ) -> Result<crate::domain::BalanceHistory, StoreError> {
        // One statement, one snapshot: balances and changes agree even while other
        // writes land (and on a replica that trails the primary).
        let rows: Vec<(uuid::Uuid, Option<time::Date>, String)> = sqlx::query::<E::Db>(
            "SELECT a.id, CAST(NULL AS DATE), CAST(a.balance AS TEXT) \
             FROM accounts a WHERE a.id IN (SELECT account_id FROM account_members WHERE user_id = $1) \
             UNION ALL \
             SELECT m.account_id, m.occurred_on, CAST(sum(m.amount) AS TEXT) \
             FROM accounts a JOIN movements m ON m.account_id = a.id \
             WHERE a.id IN (SELECT account_id FROM account_members WHERE user_id = $1) AND m.occurred_on > $2 \
             GROUP BY m.account_id, m.occurred_on",
        )
        .bind(V(&owner.0))
        .bind(V(&after))
        .all(self.lists())
        .await?;
        let mut history = crate::domain::BalanceHistory::default();
        for (id, day, total) in rows {
            let total = sum(&total)?;
            match day {
                Some(day) => history.changes.push((AccountId(id), day, total)),
                None => history.balances.push((
                    AccountId(id),
                    i64::try_from(total).map_err(|e| super::corrupt("balance", e))?,
                )),
            }
        }
        Ok(history)
    }

    async fn put_budget(&self, owner: UserId, b: &Budget) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let added = sqlx::query::<E::Db>(
            "INSERT INTO budgets (owner_id, category, currency, amount) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(V(&owner.0))
        .bind(V(&b.category))
        .bind(V(b.currency.code()))
        .bind(V(&b.amount.minor()))
        .run(&mut *tx)
        .await?
            == 1;
        if !added {
            sqlx::query::<E::Db>(
                "UPDATE budgets SET currency = $3, amount = $4 \
                 WHERE owner_id = $1 AND category = $2",
            )
            .bind(V(&owner.0))
            .bind(V(&b.category))
            .bind(V(b.currency.code()))
            .bind(V(&b.amount.minor()))
            .run(&mut *tx)
            .await?;
        }
        let fed = Fed::for_user(
            owner,
            OffsetDateTime::now_utc(),
            FeedEntity::Budget,
            b.category.as_str(),
            FeedAction::Upserted,
        );
        Self::feed(&mut tx, &[fed]).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn delete_budget(&self, owner: UserId, category: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let gone =
            sqlx::query::<E::Db>("DELETE FROM budgets WHERE owner_id = $1 AND category = $2")
                .bind(V(&owner.0))
                .bind(V(category))
                .run(&mut *tx)
                .await?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        let fed = Fed::for_user(
            owner,
            OffsetDateTime::now_utc(),
            FeedEntity::Budget,
            category,
            FeedAction::Deleted,
        );
        Self::feed(&mut tx, &[fed]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn budgets(
        &self,
        owner: UserId,
        from: time::Date,
        to: time::Date,
    ) -> Result<Vec<(Budget, i128)>, StoreError> {
        let rows: Vec<(String, String, i64, String)> =
            sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
                "SELECT b.category, b.currency, b.amount, ({SPENT_IN_MONTH}) \
                 FROM budgets b WHERE b.owner_id = $1 ORDER BY b.category"
            )))
            .bind(V(&owner.0))
            .bind(V(&from))
            .bind(V(&to))
            .all(self.lists())
            .await?;
        rows.into_iter()
            .map(|(category, code, amount, spent)| {
                let currency = currency(&code)?;
                Ok((
                    Budget {
                        category,
                        currency,
                        amount: Money::from_minor(amount, currency),
                    },
                    sum(&spent)?,
                ))
            })
            .collect()
    }
}
