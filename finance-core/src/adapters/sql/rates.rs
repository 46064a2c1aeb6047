//! Exchange rates: one row per owner, pair and day, and the pairs an owner has with the
//! latest rate of each, so that converting at today's rates reads one short row per pair
//! and an earlier day one index probe per pair, never a scan of years of daily rates.

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};

use time::Date;

use super::corrupt;
use crate::domain::{
    Account, AccountId, Currency, ExchangeRate, Fed, FeedAction, FeedEntity, ImpliedRate, Money,
    Rate, RateAddress, RateCursor, RateFacts, RatePage, RateQuery, RatesImported, UserId,
};
use crate::ports::{RateRepository, StoreError};

/// Rates per multi-row statement: five parameters each, far below both engines' limits.
pub(crate) const RATES_PER_INSERT: usize = 1_000;

#[derive(sqlx::FromRow)]
pub struct RateRow {
    base: String,
    quote: String,
    day: Date,
    rate: String,
}

impl TryFrom<RateRow> for ExchangeRate {
    type Error = StoreError;

    fn try_from(row: RateRow) -> Result<Self, StoreError> {
        Ok(ExchangeRate {
            base: Currency::parse(&row.base).map_err(|e| corrupt("currency", e))?,
            quote: Currency::parse(&row.quote).map_err(|e| corrupt("currency", e))?,
            date: row.day,
            rate: Rate::parse(&row.rate).map_err(|e| corrupt("rate", e))?,
        })
    }
}

/// One row of [`ACCOUNTS_AND_RATES_ON`]: an account (`kind` 0), the explicit rate of a
/// pair (1: `currency` is the base, `rate` the rate) or the latest transfer of a pair (2:
/// `rate` is "paid got" in minor units); the columns of the other kinds are null. (The
/// first branch's nulls are typed: Postgres types a union column from its first branch.)
#[derive(sqlx::FromRow)]
pub struct HoldingRow {
    kind: i32,
    id: Option<uuid::Uuid>,
    owner_id: Option<uuid::Uuid>,
    name: Option<String>,
    currency: Option<String>,
    balance: Option<i64>,
    archived: Option<bool>,
    created_at: Option<time::OffsetDateTime>,
    quote: Option<String>,
    rate: Option<String>,
    role: Option<String>,
    reconciled_on: Option<time::Date>,
}

/// The accounts the user is a member of (by name) and what converting them on `$2` may use, in one
/// statement, so a converted profile costs the round trips of a plain one. Per pair of
/// `rate_pairs`: the latest explicit rate on or before `$2` (the pair's own latest when
/// that is not after `$2`, else one probe of the rates' key), or the latest transfer on
/// or before `$2` (one probe through the owner's transfers).
pub(crate) const ACCOUNTS_AND_RATES_ON: &str = "\
    SELECT 0 AS kind, a.id, a.owner_id, a.name, a.currency, a.balance, a.archived, \
        a.created_at, CAST(NULL AS TEXT) AS quote, CAST(NULL AS TEXT) AS rate, \
        m.role, a.reconciled_on \
    FROM account_members m JOIN accounts a ON a.id = m.account_id WHERE m.user_id = $1 \
    UNION ALL \
    SELECT CASE WHEN p.kind = 'r' THEN 1 ELSE 2 END, NULL, NULL, NULL, p.base, NULL, NULL, \
        NULL, p.quote, \
        CASE WHEN p.kind = 't' THEN \
            (SELECT CAST(-f.amount AS TEXT) || ' ' || CAST(t.amount AS TEXT) \
             FROM transfers x \
             JOIN movements f ON f.transfer_id = x.id AND f.amount < 0 \
             JOIN movements t ON t.transfer_id = x.id AND t.amount > 0 \
             JOIN accounts fa ON fa.id = f.account_id \
             JOIN accounts ta ON ta.id = t.account_id \
             WHERE x.owner_id = p.owner_id AND fa.currency = p.base \
             AND ta.currency = p.quote AND f.occurred_on <= $2 \
             ORDER BY f.occurred_on DESC, f.seq DESC LIMIT 1) \
        WHEN p.latest_day <= $2 THEN p.latest_rate \
        ELSE (SELECT r.rate FROM rates r WHERE r.owner_id = p.owner_id AND r.base = p.base \
              AND r.quote = p.quote AND r.day <= $2 ORDER BY r.day DESC LIMIT 1) END, \
        NULL, NULL \
    FROM rate_pairs p WHERE p.owner_id = $1 \
    ORDER BY 1, 4";

/// The accounts and facts of [`ACCOUNTS_AND_RATES_ON`]'s rows.
pub(crate) fn holdings(rows: Vec<HoldingRow>) -> Result<(Vec<Account>, RateFacts), StoreError> {
    let code =
        |c: Option<&str>| Currency::parse(c.unwrap_or("")).map_err(|e| corrupt("currency", e));
    let mut accounts = Vec::new();
    let mut facts = RateFacts::default();
    for row in rows {
        let missing = || corrupt("row", std::fmt::Error);
        match (row.kind, row.rate) {
            (0, _) => {
                let currency = code(row.currency.as_deref())?;
                accounts.push(Account {
                    reconciled_on: row.reconciled_on,
                    id: AccountId(row.id.ok_or_else(missing)?),
                    owner_id: UserId(row.owner_id.ok_or_else(missing)?),
                    owner_email: None,
                    role: super::accounts::role(row.role.as_deref().unwrap_or_default())?,
                    name: row.name.ok_or_else(missing)?,
                    currency,
                    balance: Money::from_minor(row.balance.ok_or_else(missing)?, currency),
                    archived: row.archived.ok_or_else(missing)?,
                    created_at: row.created_at.ok_or_else(missing)?,
                });
            }
            // A pair with nothing on or before the day.
            (_, None) => {}
            (1, Some(rate)) => facts.explicit.push((
                code(row.currency.as_deref())?,
                code(row.quote.as_deref())?,
                Rate::parse(&rate).map_err(|e| corrupt("rate", e))?,
            )),
            (_, Some(legs)) => {
                let (paid, got) = legs.split_once(' ').ok_or_else(missing)?;
                let minor = |t: &str| t.parse::<i64>().map_err(|e| corrupt("amount", e));
                facts.implied.push(ImpliedRate {
                    paid: Money::from_minor(minor(paid)?, code(row.currency.as_deref())?),
                    got: Money::from_minor(minor(got)?, code(row.quote.as_deref())?),
                });
            }
        }
    }
    Ok((accounts, facts))
}

#[async_trait]
impl<E: Engine> RateRepository for SqlStore<E> {
    async fn put_rate(&self, owner: UserId, r: &ExchangeRate) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        Self::record_pairs(&mut tx, owner, &[*r]).await?;
        let added = sqlx::query::<E::Db>(
            "INSERT INTO rates (owner_id, base, quote, day, rate) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(V(&owner.0))
        .bind(V(r.base.code()))
        .bind(V(r.quote.code()))
        .bind(V(&r.date))
        .bind(V(&r.rate.to_string()))
        .run(&mut *tx)
        .await?
            == 1;
        if !added {
            sqlx::query::<E::Db>(
                "UPDATE rates SET rate = $5 WHERE owner_id = $1 AND base = $2 \
                 AND quote = $3 AND day = $4",
            )
            .bind(V(&owner.0))
            .bind(V(r.base.code()))
            .bind(V(r.quote.code()))
            .bind(V(&r.date))
            .bind(V(&r.rate.to_string()))
            .run(&mut *tx)
            .await?;
        }
        Self::feed(
            &mut tx,
            &[rate_fed(
                owner,
                r.base,
                r.quote,
                r.date,
                FeedAction::Upserted,
            )],
        )
        .await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn delete_rate(&self, owner: UserId, at: &RateAddress) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query::<E::Db>(
            "DELETE FROM rates WHERE owner_id = $1 AND base = $2 AND quote = $3 \
             AND day = $4",
        )
        .bind(V(&owner.0))
        .bind(V(at.base.code()))
        .bind(V(at.quote.code()))
        .bind(V(&at.date))
        .run(&mut *tx)
        .await?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        // The pair's latest rate, if that was the one deleted, is the one before it
        // (or none).
        sqlx::query::<E::Db>(
            "UPDATE rate_pairs SET (latest_day, latest_rate) = \
             (SELECT r.day, r.rate FROM rates r WHERE r.owner_id = $1 AND r.base = $2 \
              AND r.quote = $3 ORDER BY r.day DESC LIMIT 1) \
             WHERE owner_id = $1 AND base = $2 AND quote = $3 AND kind = 'r' \
             AND latest_day = $4",
        )
        .bind(V(&owner.0))
        .bind(V(at.base.code()))
        .bind(V(at.quote.code()))
        .bind(V(&at.date))
        .run(&mut *tx)
        .await?;
        Self::feed(
            &mut tx,
            &[rate_fed(
                owner,
                at.base,
                at.quote,
                at.date,
                FeedAction::Deleted,
            )],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_rates(&self, owner: UserId, q: &RateQuery) -> Result<RatePage, StoreError> {
        // Only the conditions in use are written out (see list_movements).
        let mut sql = sqlx::QueryBuilder::<E::Db>::new(
            "SELECT base, quote, day, rate FROM rates WHERE owner_id = ",
        );
        sql.push_bind(V(&owner.0));
        if let Some(base) = q.base {
            sql.push(" AND base = ")
                .push_bind(V(&base.code().to_string()));
        }
        if let Some(quote) = q.quote {
            sql.push(" AND quote = ")
                .push_bind(V(&quote.code().to_string()));
        }
        if let Some(from) = q.from {
            sql.push(" AND day >= ").push_bind(V(&from));
        }
        if let Some(to) = q.to {
            sql.push(" AND day <= ").push_bind(V(&to));
        }
        if let Some(c) = q.cursor {
            sql.push(" AND (day < ")
                .push_bind(V(&c.date))
                .push(" OR (day = ")
                .push_bind(V(&c.date))
                .push(" AND (base, quote) > (")
                .push_bind(V(&c.base.code().to_string()))
                .push(", ")
                .push_bind(V(&c.quote.code().to_string()))
                .push(")))");
        }
        sql.push(format!(
            " ORDER BY day DESC, base, quote LIMIT {}",
            u32::from(q.limit) + 1
        ));
        let rows = sql.build().all::<RateRow>(self.lists()).await?;
        let mut items = rows
            .into_iter()
            .map(ExchangeRate::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let next_cursor = if items.len() > usize::from(q.limit) {
            items.truncate(usize::from(q.limit));
            items.last().map(|r| RateCursor {
                date: r.date,
                base: r.base.into(),
                quote: r.quote.into(),
            })
        } else {
            None
        };
        Ok(RatePage { items, next_cursor })
    }

    async fn import_rates(
        &self,
        owner: UserId,
        rates: &[ExchangeRate],
    ) -> Result<RatesImported, StoreError> {
        let mut tx = self.begin_write().await?;
        let count = "SELECT count(*) FROM rates WHERE owner_id = $1";
        let (before,): (i64,) = sqlx::query::<E::Db>(count)
            .bind(V(&owner.0))
            .one(&mut *tx)
            .await?;
        Self::write_rates(&mut tx, owner, rates).await?;
        let (after,): (i64,) = sqlx::query::<E::Db>(count)
            .bind(V(&owner.0))
            .one(&mut *tx)
            .await?;
        tx.commit().await?;
        let added = super::count(after - before);
        Ok(RatesImported {
            added,
            updated: (rates.len() as u64).saturating_sub(added),
            skipped_currencies: Vec::new(),
        })
    }

    async fn accounts_and_rates_on(
        &self,
        owner: UserId,
        on: time::Date,
    ) -> Result<(Vec<Account>, RateFacts), StoreError> {
        let rows = sqlx::query::<E::Db>(ACCOUNTS_AND_RATES_ON)
            .bind(V(&owner.0))
            .bind(V(&on))
            .all::<HoldingRow>(&self.pool)
            .await?;
        holdings(rows)
    }
}

/// A rate's row of the change feed: its id is `BASE/QUOTE/DATE`, its address in the API.
pub(crate) fn rate_fed(
    owner: UserId,
    base: Currency,
    quote: Currency,
    date: Date,
    action: FeedAction,
) -> Fed {
    let id = format!("{}/{}/{date}", base.code(), quote.code());
    Fed::for_user(
        owner,
        time::OffsetDateTime::now_utc(),
        FeedEntity::Rate,
        id,
        action,
    )
}
