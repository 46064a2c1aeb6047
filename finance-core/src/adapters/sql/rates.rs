//! Exchange rates: one row per owner, pair and day, and the pairs an owner has, so that
//! finding the latest rate of every pair is one index probe per pair, not a scan of
//! years of daily rates.

use time::Date;

use super::corrupt;
use crate::domain::{Currency, ExchangeRate, ImpliedRate, Money, Rate, RateFacts};
use crate::ports::StoreError;

/// Rates per multi-row statement: five parameters each, far below both engines' limits.
pub(crate) const RATES_PER_INSERT: usize = 1_000;

#[derive(sqlx::FromRow)]
pub(crate) struct RateRow {
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

/// One row of [`RATES_ON`]: an explicit rate (`rate` set) or a transfer's legs.
#[derive(sqlx::FromRow)]
pub(crate) struct FactRow {
    base: String,
    quote: String,
    rate: Option<String>,
    paid: Option<i64>,
    got: Option<i64>,
    day: Option<Date>,
    seq: Option<i64>,
}

/// The latest explicit rate of each of the owner's pairs on or before `$2`, and every
/// cross-currency transfer on or before it (few per user; the newest of a pair wins).
/// One statement, so a converted profile costs one more round trip, not one per pair.
pub(crate) const RATES_ON: &str = "\
    SELECT p.base, p.quote, \
        (SELECT r.rate FROM rates r WHERE r.owner_id = p.owner_id AND r.base = p.base \
         AND r.quote = p.quote AND r.day <= $2 ORDER BY r.day DESC LIMIT 1) AS rate, \
        CAST(NULL AS BIGINT) AS paid, CAST(NULL AS BIGINT) AS got, \
        CAST(NULL AS DATE) AS day, CAST(NULL AS BIGINT) AS seq \
    FROM rate_pairs p WHERE p.owner_id = $1 \
    UNION ALL \
    SELECT fa.currency, ta.currency, NULL, -f.amount, t.amount, f.occurred_on, f.seq \
    FROM transfers x \
    JOIN movements f ON f.transfer_id = x.id AND f.amount < 0 \
    JOIN movements t ON t.transfer_id = x.id AND t.amount > 0 \
    JOIN accounts fa ON fa.id = f.account_id \
    JOIN accounts ta ON ta.id = t.account_id \
    WHERE x.owner_id = $1 AND fa.currency <> ta.currency AND f.occurred_on <= $2";

/// The facts of [`RATES_ON`]'s rows, implied rates newest first.
pub(crate) fn facts(rows: Vec<FactRow>) -> Result<RateFacts, StoreError> {
    let mut facts = RateFacts::default();
    let mut implied = Vec::new();
    for row in rows {
        let base = Currency::parse(&row.base).map_err(|e| corrupt("currency", e))?;
        let quote = Currency::parse(&row.quote).map_err(|e| corrupt("currency", e))?;
        match (row.rate, row.paid, row.got) {
            (Some(rate), _, _) => {
                let rate = Rate::parse(&rate).map_err(|e| corrupt("rate", e))?;
                facts.explicit.push((base, quote, rate));
            }
            (None, Some(paid), Some(got)) => implied.push((
                row.day,
                row.seq,
                ImpliedRate {
                    paid: Money::from_minor(paid, base),
                    got: Money::from_minor(got, quote),
                },
            )),
            // A pair whose rates all come after the day.
            _ => {}
        }
    }
    implied.sort_by_key(|t| std::cmp::Reverse((t.0, t.1)));
    facts.implied = implied.into_iter().map(|(_, _, t)| t).collect();
    Ok(facts)
}

macro_rules! rate_repository {
    ($store:ty, db = $db:ty) => {
        #[async_trait]
        impl RateRepository for $store {
            async fn put_rate(&self, owner: UserId, r: &ExchangeRate) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                Self::record_pairs(&mut tx, owner, [(r.base, r.quote)]).await?;
                let added = sqlx::query(
                    "INSERT INTO rates (owner_id, base, quote, day, rate) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(owner.0)
                .bind(r.base.code())
                .bind(r.quote.code())
                .bind(r.date)
                .bind(r.rate.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if !added {
                    sqlx::query(
                        "UPDATE rates SET rate = $5 WHERE owner_id = $1 AND base = $2 \
                         AND quote = $3 AND day = $4",
                    )
                    .bind(owner.0)
                    .bind(r.base.code())
                    .bind(r.quote.code())
                    .bind(r.date)
                    .bind(r.rate.to_string())
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(added)
            }

            async fn delete_rate(&self, owner: UserId, at: &RateAddress) -> Result<(), StoreError> {
                let gone = sqlx::query(
                    "DELETE FROM rates WHERE owner_id = $1 AND base = $2 AND quote = $3 \
                     AND day = $4",
                )
                .bind(owner.0)
                .bind(at.base.code())
                .bind(at.quote.code())
                .bind(at.date)
                .execute(&self.writer)
                .await?
                .rows_affected();
                if gone == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }

            async fn list_rates(
                &self,
                owner: UserId,
                q: &RateQuery,
            ) -> Result<RatePage, StoreError> {
                // Only the conditions in use are written out (see list_movements).
                let mut sql = sqlx::QueryBuilder::<$db>::new(
                    "SELECT base, quote, day, rate FROM rates WHERE owner_id = ",
                );
                sql.push_bind(owner.0);
                if let Some(base) = q.base {
                    sql.push(" AND base = ").push_bind(base.code().to_string());
                }
                if let Some(quote) = q.quote {
                    sql.push(" AND quote = ")
                        .push_bind(quote.code().to_string());
                }
                if let Some(from) = q.from {
                    sql.push(" AND day >= ").push_bind(from);
                }
                if let Some(to) = q.to {
                    sql.push(" AND day <= ").push_bind(to);
                }
                if let Some(c) = q.cursor {
                    sql.push(" AND (day < ")
                        .push_bind(c.date)
                        .push(" OR (day = ")
                        .push_bind(c.date)
                        .push(" AND (base, quote) > (")
                        .push_bind(c.base.code().to_string())
                        .push(", ")
                        .push_bind(c.quote.code().to_string())
                        .push(")))");
                }
                sql.push(format!(
                    " ORDER BY day DESC, base, quote LIMIT {}",
                    u32::from(q.limit) + 1
                ));
                let rows = sql
                    .build_query_as::<$crate::adapters::sql::rates::RateRow>()
                    .fetch_all(&self.pool)
                    .await?;
                let mut items = rows
                    .into_iter()
                    .map(ExchangeRate::try_from)
                    .collect::<Result<Vec<_>, _>>()?;
                let next_cursor = if items.len() > usize::from(q.limit) {
                    items.truncate(usize::from(q.limit));
                    items.last().map(|r| RateCursor {
                        date: r.date,
                        base: r.base,
                        quote: r.quote,
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
                let before: i64 = sqlx::query_scalar(count)
                    .bind(owner.0)
                    .fetch_one(&mut *tx)
                    .await?;
                let mut pairs: Vec<(Currency, Currency)> =
                    rates.iter().map(|r| (r.base, r.quote)).collect();
                pairs.sort();
                pairs.dedup();
                Self::record_pairs(&mut tx, owner, pairs).await?;
                for chunk in rates.chunks($crate::adapters::sql::rates::RATES_PER_INSERT) {
                    let mut sql = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO rates (owner_id, base, quote, day, rate) ",
                    );
                    sql.push_values(chunk, |mut row, r| {
                        row.push_bind(owner.0)
                            .push_bind(r.base.code().to_string())
                            .push_bind(r.quote.code().to_string())
                            .push_bind(r.date)
                            .push_bind(r.rate.to_string());
                    });
                    sql.push(
                        " ON CONFLICT (owner_id, base, quote, day) \
                         DO UPDATE SET rate = excluded.rate",
                    );
                    sql.build().execute(&mut *tx).await?;
                }
                let after: i64 = sqlx::query_scalar(count)
                    .bind(owner.0)
                    .fetch_one(&mut *tx)
                    .await?;
                tx.commit().await?;
                let added = $crate::adapters::sql::count(after - before);
                Ok(RatesImported {
                    added,
                    updated: (rates.len() as u64).saturating_sub(added),
                    skipped_currencies: Vec::new(),
                })
            }

            async fn rates_on(
                &self,
                owner: UserId,
                on: time::Date,
            ) -> Result<RateFacts, StoreError> {
                let rows = sqlx::query_as::<_, $crate::adapters::sql::rates::FactRow>(
                    $crate::adapters::sql::rates::RATES_ON,
                )
                .bind(owner.0)
                .bind(on)
                .fetch_all(&self.pool)
                .await?;
                $crate::adapters::sql::rates::facts(rows)
            }
        }

        impl $store {
            /// Notes the pairs the owner has rates of (a pair stays when its last rate is
            /// deleted; a lookup then finds no rate for it, as for any pair).
            async fn record_pairs(
                conn: &mut <$db as sqlx::Database>::Connection,
                owner: UserId,
                pairs: impl IntoIterator<Item = (Currency, Currency)>,
            ) -> Result<(), StoreError> {
                let pairs: Vec<(Currency, Currency)> = pairs.into_iter().collect();
                if pairs.is_empty() {
                    return Ok(());
                }
                let mut sql = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO rate_pairs (owner_id, base, quote) ",
                );
                sql.push_values(&pairs, |mut row, (base, quote)| {
                    row.push_bind(owner.0)
                        .push_bind(base.code().to_string())
                        .push_bind(quote.code().to_string());
                });
                sql.push(" ON CONFLICT DO NOTHING");
                sql.build().execute(&mut *conn).await?;
                Ok(())
            }
        }
    };
}

pub(crate) use rate_repository;
