//! Bank-file rows into Postgres: each chunk of rows is one statement that takes them as
//! arrays (`UNNEST`), records their keys, inserts the rows whose key was new, in the
//! file's order, and answers how many and their sum. Row-by-row values lists took 23 s
//! for 100,000 rows; BENCHMARKS.md has what this takes.

use super::PgStore;
use crate::domain::{AccountId, ImportRow, Imported, Money, UserId};
use crate::ports::StoreError;

/// Rows per statement: big enough that round trips do not count, small enough that one
/// statement's arrays stay a few MiB.
const CHUNK: usize = 10_000;

const IMPORT: &str = "\
WITH rows AS (
    SELECT * FROM UNNEST($2::text[], $3::uuid[], $4::int8[], $5::text[], $6::text[], \
                         $7::date[], $8::timestamptz[]) WITH ORDINALITY \
        AS r(key, id, amount, description, category, occurred_on, created_at, ord)
), fresh AS (
    INSERT INTO imported (account_id, key, movement_id)
    SELECT $1, key, id FROM rows
    ON CONFLICT DO NOTHING
    RETURNING movement_id
), added AS (
    INSERT INTO movements (id, account_id, amount, description, category, occurred_on, \
                           created_at, updated_at, created_by, updated_by)
    SELECT r.id, $1, r.amount, r.description, r.category, r.occurred_on, r.created_at, \
           r.created_at, $9, $9
    FROM rows r JOIN fresh f ON f.movement_id = r.id
    ORDER BY r.ord
    RETURNING amount
)
SELECT count(*) AS added, coalesce(sum(amount), 0)::text AS total FROM added";

impl PgStore {
    pub(super) async fn import_batch(
        &self,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError> {
        let mut tx = self.begin_write().await?;
        let balance = Self::lock_account(&mut tx, owner, account).await?;
        let (mut added, mut total) = (0u64, 0i128);
        for chunk in rows.chunks(CHUNK) {
            let m = chunk.iter().map(|r| &r.movement);
            // One file, one author.
            let by = chunk.first().map(|r| r.movement.created_by.id.0);
            let (n, sum): (i64, String) = sqlx::query_as(IMPORT)
                .bind(account.0)
                .bind(chunk.iter().map(|r| r.key.as_str()).collect::<Vec<_>>())
                .bind(m.clone().map(|m| m.id.0).collect::<Vec<_>>())
                .bind(m.clone().map(|m| m.amount.minor()).collect::<Vec<_>>())
                .bind(
                    m.clone()
                        .map(|m| m.description.as_str())
                        .collect::<Vec<_>>(),
                )
                .bind(m.clone().map(|m| m.category.as_deref()).collect::<Vec<_>>())
                .bind(m.clone().map(|m| m.occurred_on).collect::<Vec<_>>())
                .bind(m.map(|m| m.created_at).collect::<Vec<_>>())
                .bind(by)
                .fetch_one(&mut *tx)
                .await?;
            added += n.unsigned_abs();
            total += sum
                .parse::<i128>()
                .map_err(|e| super::super::sql::corrupt("imported sum", e))?;
        }
        if added > 0 {
            let minor = i64::try_from(i128::from(balance.minor()) + total)
                .map_err(|_| StoreError::BalanceOverflow)?;
            Self::store_balance(
                &mut tx,
                account,
                Money::from_minor(minor, balance.currency()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Imported {
            added,
            duplicates: rows.len() as u64 - added,
        })
    }
}
