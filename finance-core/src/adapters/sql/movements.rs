//! The movement repository for both engines: one SQL text each, the rows and helpers in
//! [`super::movement_rows`] (re-exported here).

use super::movement_pages::direction;
pub(crate) use super::movement_rows::*;

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};
use crate::domain::{
    Account, AccountId, Change, Currency, Cursor, ImportRow, Imported, JournalImport, Money,
    Movement, MovementId, MovementPage, MovementQuery, UserId, splits_to_text, tags_to_text,
};
use crate::ports::{Added, Cause, IdempotencyKey, MovementRepository, StoreError};

#[async_trait]
impl<E: Engine> MovementRepository for SqlStore<E> {
    async fn add_movement(
        &self,
        owner: UserId,
        m: &Movement,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError> {
        // Each engine writes its own way: Postgres in one statement, SQLite in
        // group commits (see their modules).
        E::write_movement(self, owner, m, idempotency).await
    }

    async fn import_rows(
        &self,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError> {
        // Each engine its own way: Postgres in a few array statements, SQLite in
        // multi-row inserts (see their `imports` modules).
        E::import_batch(self, owner, account, rows).await
    }

    async fn import_journal(
        &self,
        owner: UserId,
        import: &JournalImport,
    ) -> Result<(), StoreError> {
        self.write_journal(owner, import).await
    }

    async fn get_movement(
        &self,
        owner: UserId,
        account: AccountId,
        id: MovementId,
    ) -> Result<Option<Movement>, StoreError> {
        let row = sqlx::query::<E::Db>(
            "SELECT m.seq, m.id, m.account_id, m.amount, m.description, m.category, \
             m.occurred_on, m.transfer_id, m.schedule_id, m.created_at, m.updated_at, \
             m.created_by, m.updated_by, m.splits, m.tags, m.rule_id, \
             cu.email AS created_email, uu.email AS updated_email, a.currency, a.reconciled_on \
             FROM movements m JOIN accounts a ON a.id = m.account_id LEFT JOIN users cu ON cu.id = m.created_by LEFT JOIN users uu ON uu.id = m.updated_by \
             WHERE m.id = $1 AND m.account_id = $2 AND EXISTS (SELECT 1 FROM account_members am \
             WHERE am.account_id = m.account_id AND am.user_id = $3)",
        )
        .bind(V(&id.0))
        .bind(V(&account.0))
        .bind(V(&owner.0))
        .optional::<OwnedMovementRow>(&self.pool)
        .await?;
        row.map(|r| r.into_movement()).transpose()
    }

    async fn update_movement(
        &self,
        owner: UserId,
        before: &Movement,
        after: &Movement,
    ) -> Result<Money, StoreError> {
        let mut tx = self.begin_write().await?;
        let books = Self::lock_books(&mut tx, owner, before.account_id).await?;
        // Neither a reconciled movement changes nor one moves into reconciled days.
        books.open_on(before.occurred_on)?;
        books.open_on(after.occurred_on)?;
        let new_balance = replaced(books.balance, before, after)?;
        let changed = sqlx::query::<E::Db>(
            "UPDATE movements SET amount = $3, description = $4, category = $5, \
             occurred_on = $6, updated_at = $7, updated_by = $12, splits = $13, tags = $14, \
             rule_id = $15 \
             WHERE id = $1 AND account_id = $2 AND transfer_id IS NULL \
             AND amount = $8 AND description = $9 AND occurred_on = $10 \
             AND coalesce(updated_at, created_at) = $11",
        )
        .bind(V(&before.id.0))
        .bind(V(&before.account_id.0))
        .bind(V(&after.amount.minor()))
        .bind(V(&after.description))
        .bind(V(&after.category))
        .bind(V(&after.occurred_on))
        .bind(V(&after.updated_at))
        .bind(V(&before.amount.minor()))
        .bind(V(&before.description))
        .bind(V(&before.occurred_on))
        .bind(V(&before.updated_at))
        .bind(V(&after.updated_by.id.0))
        .bind(V(&after.splits.as_deref().map(splits_to_text)))
        .bind(V(&tags_to_text(&after.tags)))
        .bind(V(&after.rule_id.map(|r| r.0)))
        .run(&mut *tx)
        .await?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        Self::replace_details(&mut tx, before, after).await?;
        Self::store_balance(&mut tx, before.account_id, new_balance).await?;
        let change = Change::movement(owner, after.updated_at, before, Some(after));
        Self::record(&mut tx, &[change]).await?;
        if Self::budgets_watched(&mut tx).await? {
            Self::alert_budgets(&mut tx, after).await?;
        }
        tx.commit().await?;
        Ok(new_balance)
    }

    async fn delete_movement(
        &self,
        owner: UserId,
        before: &Movement,
        at: time::OffsetDateTime,
    ) -> Result<Money, StoreError> {
        let mut tx = self.begin_write().await?;
        let books = Self::lock_books(&mut tx, owner, before.account_id).await?;
        books.open_on(before.occurred_on)?;
        let new_balance = unmoved(books.balance, before)?;
        let deleted = sqlx::query::<E::Db>(
            "DELETE FROM movements WHERE id = $1 AND account_id = $2 \
             AND transfer_id IS NULL AND amount = $3 AND description = $4 \
             AND occurred_on = $5 AND coalesce(updated_at, created_at) = $6",
        )
        .bind(V(&before.id.0))
        .bind(V(&before.account_id.0))
        .bind(V(&before.amount.minor()))
        .bind(V(&before.description))
        .bind(V(&before.occurred_on))
        .bind(V(&before.updated_at))
        .run(&mut *tx)
        .await?;
        if deleted == 0 {
            return Err(StoreError::Stale);
        }
        Self::store_balance(&mut tx, before.account_id, new_balance).await?;
        Self::record(&mut tx, &[Change::movement(owner, at, before, None)]).await?;
        tx.commit().await?;
        Ok(new_balance)
    }

    async fn list_movements(
        &self,
        accounts: &[Account],
        q: &MovementQuery,
    ) -> Result<MovementPage, StoreError> {
        // The limit is written into the text, not bound: with `LIMIT $n` Postgres
        // cannot cost a generic plan (it assumes a tenth of the rows), so it plans
        // afresh on every execution once the account is large, costing a third of
        // the page's throughput at 100,000 movements (measured with pgbench). The
        // limit is a checked integer, so the text stays safe.
        // One row more than asked tells whether another page exists.
        let limit = u32::from(q.limit) + 1;
        let mut sql = sqlx::QueryBuilder::<E::Db>::new("");
        // The trigram index answers a plain pattern of three characters or more,
        // once for the statement however many accounts' pages use it; anything
        // else is matched row by row.
        let indexed = E::FTS
            && q.q
                .as_deref()
                .is_some_and(|t| t.chars().count() >= 3 && !t.contains(['%', '_', '\\']));
        if let (true, Some(text)) = (indexed, &q.q) {
            sql.push(
                "WITH hits (seq) AS MATERIALIZED (SELECT rowid FROM movements_search \
                 WHERE description LIKE ",
            )
            .push_bind(V(&format!("%{text}%")))
            .push(") ");
        }
        if accounts.is_empty() {
            return Ok(MovementPage {
                items: Vec::new(),
                next_cursor: None,
            });
        }
        // The page's authors' emails are read once, for its rows only.
        sql.push("SELECT p.*, cu.email AS created_email, uu.email AS updated_email FROM (");
        match accounts {
            [] => {}
            [one] => Self::push_page(&mut sql, one, q, limit, indexed),
            // Across accounts: each account's page from its own index, then the
            // newest of those, so no account's history is sorted whole.
            many => {
                sql.push("SELECT * FROM (");
                for (i, account) in many.iter().enumerate() {
                    if i > 0 {
                        sql.push(" UNION ALL ");
                    }
                    sql.push("SELECT * FROM (");
                    Self::push_page(&mut sql, account, q, limit, indexed);
                    sql.push(format!(") AS a{i}"));
                }
                sql.push(format!(
                    ") AS pages ORDER BY occurred_on {dir}, seq {dir} LIMIT {limit}",
                    dir = direction(q)
                ));
            }
        }
        sql.push(format!(
            ") AS p LEFT JOIN users cu ON cu.id = p.created_by \
             LEFT JOIN users uu ON uu.id = p.updated_by \
             ORDER BY p.occurred_on {dir}, p.seq {dir}",
            dir = direction(q)
        ));
        let rows = sql.build().all::<MovementRow>(self.lists()).await?;
        let account_of = |id: uuid::Uuid| {
            accounts
                .iter()
                .find(|a| a.id.0 == id)
                .ok_or_else(|| StoreError::Backend(Cause::from("a row of another account")))
        };
        let mut items = rows
            .into_iter()
            .map(|r| {
                let account = account_of(r.account_id())?;
                let (seq, mut m) = r.into_movement(account.currency)?;
                m.reconciled = account.reconciled_on.is_some_and(|d| m.occurred_on <= d);
                Ok((seq, m))
            })
            .collect::<Result<Vec<(i64, Movement)>, StoreError>>()?;
        let next_cursor = if items.len() > usize::from(q.limit) {
            items.truncate(usize::from(q.limit));
            items.last().map(|(seq, m)| Cursor {
                occurred_on: m.occurred_on,
                seq: *seq,
            })
        } else {
            None
        };
        Ok(MovementPage {
            items: items.into_iter().map(|(_, m)| m).collect(),
            next_cursor,
        })
    }
}

impl<E: Engine> SqlStore<E> {
    pub(crate) async fn store_balance(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        account: AccountId,
        balance: Money,
    ) -> Result<(), StoreError> {
        sqlx::query::<E::Db>("UPDATE accounts SET balance = $1 WHERE id = $2")
            .bind(V(&balance.minor()))
            .bind(V(&account.0))
            .run(&mut *conn)
            .await?;
        Ok(())
    }

    /// Records `key` as used for `target` (a movement or a transfer); false if the
    /// owner has used it already.
    pub(crate) async fn record_key(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        key: &IdempotencyKey,
        target: uuid::Uuid,
        at: time::OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let inserted = sqlx::query::<E::Db>(
            "INSERT INTO idempotency_keys \
             (user_id, key, fingerprint, movement_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING",
        )
        .bind(V(&owner.0))
        .bind(V(&key.key))
        .bind(V(&key.fingerprint))
        .bind(V(&target))
        .bind(V(&at))
        .run(&mut *conn)
        .await?;
        Ok(inserted > 0)
    }

    /// What a recorded key was first used for, if it was for the same request
    /// (`Refused(IdempotencyKeyReused)` otherwise).
    pub(crate) async fn recorded_for(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        key: &IdempotencyKey,
    ) -> Result<uuid::Uuid, StoreError> {
        let recorded = sqlx::query::<E::Db>(
            "SELECT fingerprint, movement_id FROM idempotency_keys \
             WHERE user_id = $1 AND key = $2",
        )
        .bind(V(&owner.0))
        .bind(V(&key.key))
        .one::<KeyRow>(&mut *conn)
        .await?;
        if recorded.fingerprint != key.fingerprint {
            return Err(StoreError::Refused(
                crate::domain::Refusal::IdempotencyKeyReused,
            ));
        }
        Ok(recorded.movement_id)
    }

    /// Answers a key that is already recorded: the first movement for the same
    /// request, a mismatch for another. Runs inside the caller's transaction,
    /// which is dropped (rolled back) afterwards, or
    /// outside one where the key was refused without writing anything.
    pub(crate) async fn replay(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        key: &IdempotencyKey,
        currency: Currency,
    ) -> Result<Added, StoreError> {
        let first = Self::recorded_for(conn, owner, key).await?;
        let (_, movement) = sqlx::query::<E::Db>(
            "SELECT m.seq, m.id, m.account_id, m.amount, m.description, m.category, \
             m.occurred_on, m.transfer_id, m.schedule_id, m.created_at, m.updated_at, \
             m.created_by, m.updated_by, m.splits, m.tags, m.rule_id, \
             cu.email AS created_email, uu.email AS updated_email FROM movements m LEFT JOIN users cu ON cu.id = m.created_by LEFT JOIN users uu ON uu.id = m.updated_by WHERE m.id = $1",
        )
        .bind(V(&first))
        .one::<MovementRow>(&mut *conn)
        .await?
        .into_movement(currency)?;
        Ok(Added::Replayed { movement })
    }
}
