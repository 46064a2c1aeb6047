//! Bank-file rows into SQLite: keys first, in multi-row inserts that answer which were
//! new, then those rows, all in one transaction.

use std::collections::HashSet;

use super::SqliteStore;
use crate::adapters::sql::movements::{ROWS_PER_INSERT, moved};
use crate::domain::{AccountId, Fed, ImportRow, Imported, UserId};
use crate::ports::StoreError;

impl SqliteStore {
    pub(super) async fn import_batch(
        &self,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError> {
        let mut tx = self.begin_write().await?;
        let books = Self::lock_books(&mut tx, owner, account).await?;
        let mut balance = books.balance;
        let mut added = Vec::new();
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                "INSERT INTO imported (account_id, key, movement_id) ",
            );
            sql.push_values(chunk, |mut row, r| {
                row.push_bind(account.0)
                    .push_bind(r.key.clone())
                    .push_bind(r.movement.id.0);
            });
            sql.push(" ON CONFLICT DO NOTHING RETURNING movement_id");
            let new: HashSet<uuid::Uuid> = sql
                .build_query_scalar()
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
            for r in chunk.iter().filter(|r| new.contains(&r.movement.id.0)) {
                books.open_on(r.movement.occurred_on)?;
                balance = moved(balance, &r.movement)?;
                added.push(&r.movement);
            }
        }
        Self::insert_rows(&mut tx, added.iter().copied()).await?;
        let fed: Vec<Fed> = added
            .iter()
            .map(|m| Fed::new_movement(account, m.created_at, m.id.0))
            .collect();
        Self::feed(&mut tx, &fed).await?;
        if !added.is_empty() {
            Self::store_balance(&mut tx, account, balance).await?;
        }
        let n = added.len() as u64;
        let imported = Imported {
            added: n,
            duplicates: rows.len() as u64 - n,
        };
        Self::record_import(&mut tx, owner, account, rows, &imported).await?;
        tx.commit().await?;
        Ok(imported)
    }
}
