//! A journal's records in one transaction, for both engines: the new accounts with their
//! final balances and latest reconciled day, the transfers, every movement in the
//! journal's order, the reconciliations; history, feed and webhooks as each write path
//! does (an import entry per account, not one per movement).

use super::SqlStore;
use super::engine::{Engine, Run, V};
use super::movement_rows::ROWS_PER_INSERT;
use crate::domain::{
    AccountId, Change, Fed, FeedAction, FeedEntity, HistoryEntity, Imported, JournalImport, UserId,
};
use crate::ports::StoreError;

impl<E: Engine> SqlStore<E> {
    pub(crate) async fn write_journal(
        &self,
        owner: UserId,
        import: &JournalImport,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for chunk in import.accounts.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO accounts \
                 (id, owner_id, name, currency, balance, created_at, reconciled_on) ",
            );
            sql.push_values(chunk, |mut row, a| {
                row.push_bind(V(&a.id.0))
                    .push_bind(V(&owner.0))
                    .push_bind(V(&a.name))
                    .push_bind(V(a.currency.code()))
                    .push_bind(V(&a.balance.minor()))
                    .push_bind(V(&a.created_at))
                    .push_bind(V(&a.reconciled_on));
            });
            sql.build()
                .run(&mut *tx)
                .await
                .map_err(super::map_unique(crate::domain::Refusal::NameTaken))?;
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO account_members (account_id, user_id, role, joined_at) ",
            );
            sql.push_values(chunk, |mut row, a| {
                row.push_bind(V(&a.id.0))
                    .push_bind(V(&owner.0))
                    .push_bind(V("owner"))
                    .push_bind(V(&a.created_at));
            });
            sql.build().run(&mut *tx).await?;
        }
        let opened: Vec<Change> = import
            .accounts
            .iter()
            .map(|a| super::accounts::account_change(owner, a.created_at, None, Some(a)))
            .collect();
        Self::record(&mut tx, &opened).await?;
        for chunk in import.transfers.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO transfers (id, owner_id, created_at) ",
            );
            sql.push_values(chunk, |mut row, t| {
                row.push_bind(V(&t.id.0))
                    .push_bind(V(&owner.0))
                    .push_bind(V(&t.from.created_at));
            });
            sql.build().run(&mut *tx).await?;
        }
        for t in &import.transfers {
            Self::note_transfer_pair(&mut tx, owner, t).await?;
        }
        Self::insert_rows(&mut tx, &import.movements).await?;
        let fed: Vec<Fed> = import
            .movements
            .iter()
            .map(|m| Fed::new_movement(m.account_id, m.created_at, m.id.0))
            .chain(import.transfers.iter().flat_map(|t| {
                [&t.from, &t.to].map(|leg| Fed {
                    account_id: Some(leg.account_id),
                    user_id: None,
                    at: leg.created_at,
                    entity: FeedEntity::Transfer,
                    entity_id: t.id.0.to_string(),
                    action: FeedAction::Upserted,
                })
            }))
            .collect();
        Self::feed(&mut tx, &fed).await?;
        Self::insert_reconciliations(&mut tx, owner, import).await?;
        Self::write_rates(&mut tx, owner, &import.rates).await?;
        let mut added: std::collections::HashMap<AccountId, u64> = Default::default();
        for m in &import.movements {
            *added.entry(m.account_id).or_default() += 1;
        }
        let imported: Vec<Change> = import
            .accounts
            .iter()
            .map(|a| {
                let added = added.get(&a.id).copied().unwrap_or(0);
                let counts = Imported {
                    added,
                    duplicates: 0,
                };
                let id = crate::domain::time_ordered();
                Change::of(
                    a.id,
                    a.created_at,
                    owner,
                    HistoryEntity::Import,
                    id,
                    None,
                    Some(&counts),
                )
            })
            .collect();
        Self::record(&mut tx, &imported).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn insert_reconciliations(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        import: &JournalImport,
    ) -> Result<(), StoreError> {
        let mut previous = std::collections::HashMap::new();
        let mut changes = Vec::with_capacity(import.reconciliations.len());
        for r in &import.reconciliations {
            let before = previous.insert(r.account_id, r.date);
            sqlx::query::<E::Db>(
                "INSERT INTO reconciliations \
                 (id, account_id, on_date, balance, locked, previous, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(V(&r.id.0))
            .bind(V(&r.account_id.0))
            .bind(V(&r.date))
            .bind(V(&r.balance.minor()))
            .bind(V(&i64::try_from(r.locked).unwrap_or(i64::MAX)))
            .bind(V(&before))
            .bind(V(&r.created_at))
            .bind(V(&owner.0))
            .run(&mut *conn)
            .await?;
            changes.push(Change::of(
                r.account_id,
                r.created_at,
                owner,
                HistoryEntity::Reconciliation,
                r.id.0,
                None,
                Some(r),
            ));
        }
        Self::record(conn, &changes).await
    }
}
