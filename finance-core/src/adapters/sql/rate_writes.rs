//! Writing rates with what goes with them, in the caller's transaction: the owner's pairs
//! with the latest rate of each, and the feed.

use super::SqlStore;
use super::engine::{Engine, Run, V};
use super::rates::{RATES_PER_INSERT, rate_fed};
use crate::domain::{Currency, ExchangeRate, Fed, FeedAction, UserId};
use crate::ports::StoreError;

impl<E: Engine> SqlStore<E> {
    /// Writes `rates` (one of a pair and day replaces the one there), notes their pairs
    /// and feeds them, in the caller's transaction.
    pub(crate) async fn write_rates(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        rates: &[ExchangeRate],
    ) -> Result<(), StoreError> {
        // The newest rate of each pair in the file.
        let mut latest: std::collections::BTreeMap<(Currency, Currency), ExchangeRate> =
            std::collections::BTreeMap::new();
        for r in rates {
            let kept = latest.entry((r.base, r.quote)).or_insert(*r);
            if r.date > kept.date {
                *kept = *r;
            }
        }
        let latest: Vec<ExchangeRate> = latest.into_values().collect();
        Self::record_pairs(&mut *conn, owner, &latest).await?;
        for chunk in rates.chunks(RATES_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO rates (owner_id, base, quote, day, rate) ",
            );
            sql.push_values(chunk, |mut row, r| {
                row.push_bind(V(&owner.0))
                    .push_bind(V(&r.base.code().to_string()))
                    .push_bind(V(&r.quote.code().to_string()))
                    .push_bind(V(&r.date))
                    .push_bind(V(&r.rate.to_string()));
            });
            sql.push(
                " ON CONFLICT (owner_id, base, quote, day) \
                 DO UPDATE SET rate = excluded.rate",
            );
            sql.build().run(&mut *conn).await?;
        }
        let fed: Vec<Fed> = rates
            .iter()
            .map(|r| rate_fed(owner, r.base, r.quote, r.date, FeedAction::Upserted))
            .collect();
        Self::feed(&mut *conn, &fed).await?;
        Ok(())
    }

    /// Notes the pairs of `rates` (one per pair) as the owner's, each with its
    /// rate as the pair's latest unless the pair has a later one already.
    pub(crate) async fn record_pairs(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        rates: &[ExchangeRate],
    ) -> Result<(), StoreError> {
        if rates.is_empty() {
            return Ok(());
        }
        let mut sql = sqlx::QueryBuilder::<E::Db>::new(
            "INSERT INTO rate_pairs (owner_id, base, quote, kind, latest_day, latest_rate) ",
        );
        sql.push_values(rates, |mut row, r| {
            row.push_bind(V(&owner.0))
                .push_bind(V(&r.base.code().to_string()))
                .push_bind(V(&r.quote.code().to_string()))
                .push("'r'")
                .push_bind(V(&r.date))
                .push_bind(V(&r.rate.to_string()));
        });
        sql.push(
            " ON CONFLICT (owner_id, base, quote, kind) DO UPDATE \
             SET latest_day = excluded.latest_day, latest_rate = excluded.latest_rate \
             WHERE rate_pairs.latest_day IS NULL \
             OR rate_pairs.latest_day <= excluded.latest_day",
        );
        sql.build().run(&mut *conn).await?;
        Ok(())
    }
}
