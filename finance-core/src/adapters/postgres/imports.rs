//! Bank-file rows into Postgres: each chunk of rows is one statement that takes them as
//! arrays (`UNNEST`), records their keys, inserts the rows whose key was new, in the
//! file's order with their rows of the change feed, and answers how many and their sum. Row-by-row values lists took 23 s
//! for 100,000 rows; BENCHMARKS.md has what this takes.

use super::PgStore;
use crate::domain::{
    AccountId, ImportRow, Imported, Money, Movement, UserId, splits_to_text, tags_to_text,
};
use crate::ports::StoreError;

/// Rows per statement: big enough that round trips do not count, small enough that one
/// statement's arrays stay a few MiB.
const CHUNK: usize = 10_000;

const IMPORT: &str = "\
WITH rows AS (
    SELECT * FROM UNNEST($2::text[], $3::uuid[], $4::int8[], $5::text[], $6::text[], \
                         $7::date[], $8::timestamptz[], $10::text[], $11::text[], \
                         $12::uuid[]) WITH ORDINALITY \
        AS r(key, id, amount, description, category, occurred_on, created_at, splits, tags, \
             rule_id, ord)
), fresh AS (
    INSERT INTO imported (account_id, key, movement_id)
    SELECT $1, key, id FROM rows
    ON CONFLICT DO NOTHING
    RETURNING movement_id
), added AS (
    INSERT INTO movements (id, account_id, amount, description, category, occurred_on, \
                           created_at, updated_at, created_by, updated_by, splits, tags, rule_id)
    SELECT r.id, $1, r.amount, r.description, r.category, r.occurred_on, r.created_at, \
           r.created_at, $9, $9, r.splits, r.tags, r.rule_id
    FROM rows r JOIN fresh f ON f.movement_id = r.id
    ORDER BY r.ord
    RETURNING id, amount, occurred_on, created_at
), fed AS (
    INSERT INTO changes (account_id, at, entity, entity_id, action)
    SELECT $1, created_at, 'movement', id::text, 'upserted' FROM added
)
SELECT count(*) AS added, coalesce(sum(amount), 0)::text AS total, min(occurred_on) AS earliest \
FROM added";

impl PgStore {
    pub(super) async fn import_batch(
        &self,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError> {
        let mut tx = self.begin_write().await?;
        let books = Self::lock_books(&mut tx, owner, account).await?;
        let balance = books.balance;
        let (mut added, mut total) = (0u64, 0i128);
        for chunk in rows.chunks(CHUNK) {
            let m = chunk.iter().map(|r| &r.movement);
            // One file, one author.
            let by = chunk.first().map(|r| r.movement.created_by.id.0);
            let (n, sum, earliest): (i64, String, Option<time::Date>) = sqlx::query_as(IMPORT)
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
                .bind(m.clone().map(|m| m.created_at).collect::<Vec<_>>())
                .bind(by)
                .bind(
                    m.clone()
                        .map(|m| m.splits.as_deref().map(splits_to_text))
                        .collect::<Vec<_>>(),
                )
                .bind(m.clone().map(|m| tags_to_text(&m.tags)).collect::<Vec<_>>())
                .bind(
                    m.clone()
                        .map(|m| m.rule_id.map(|r| r.0))
                        .collect::<Vec<_>>(),
                )
                .fetch_one(&mut *tx)
                .await?;
            // A new row dated where the account is reconciled refuses the file (a row
            // imported before is a duplicate wherever it is dated).
            if let Some(day) = earliest {
                books.open_on(day)?;
            }
            // Parts and tags rows for the rows that were added (new ids: those now in).
            let detailed: Vec<&Movement> = m
                .filter(|m| m.splits.is_some() || !m.tags.is_empty())
                .collect();
            if !detailed.is_empty() {
                let ids: Vec<uuid::Uuid> = detailed.iter().map(|m| m.id.0).collect();
                let added: std::collections::HashSet<uuid::Uuid> =
                    sqlx::query_scalar("SELECT id FROM movements WHERE id = ANY($1)")
                        .bind(&ids)
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .collect();
                let added: Vec<&Movement> = detailed
                    .into_iter()
                    .filter(|m| added.contains(&m.id.0))
                    .collect();
                Self::insert_details(&mut tx, &added).await?;
            }
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
        let imported = Imported {
            added,
            duplicates: rows.len() as u64 - added,
        };
        Self::record_import(&mut tx, owner, account, rows, &imported).await?;
        tx.commit().await?;
        Ok(imported)
    }
}
