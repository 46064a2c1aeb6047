//! Transfers: a row tying two movements (its legs, which carry its id) and the two
//! balances that move with them, all in one transaction.

use async_trait::async_trait;

use super::SqlStore;
use super::accounts::Books;
use super::engine::{Engine, Run, V};
use super::movement_rows::*;
use crate::domain::{Change, HistoryEntity, Movement, Transfer, TransferId, UserId};
use crate::ports::{AddedTransfer, Cause, IdempotencyKey, StoreError, TransferRepository};

#[async_trait]
impl<E: Engine> TransferRepository for SqlStore<E> {
    async fn add_transfer(
        &self,
        owner: UserId,
        t: &Transfer,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<AddedTransfer, StoreError> {
        let mut tx = self.begin_write().await?;
        let (from, to) = Self::lock_pair(&mut tx, owner, &t.from, &t.to).await?;
        from.open_on(t.from.occurred_on)?;
        to.open_on(t.to.occurred_on)?;
        let (from, to) = (from.balance, to.balance);
        if let Some(key) = &idempotency {
            // The key points at the transfer; its fingerprint says it is one.
            if !Self::record_key(&mut tx, owner, key, t.id.0, t.from.created_at).await? {
                let first = Self::recorded_for(&mut tx, owner, key).await?;
                let first = Self::read_transfer(&mut tx, owner, TransferId(first))
                    .await?
                    .ok_or(StoreError::NotFound)?;
                return Ok(AddedTransfer::Replayed(Box::new(first)));
            }
        }
        let from = super::movements::moved(from, &t.from)?;
        let to = super::movements::moved(to, &t.to)?;
        sqlx::query::<E::Db>(
            "INSERT INTO transfers (id, owner_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(V(&t.id.0))
        .bind(V(&owner.0))
        .bind(V(&t.from.created_at))
        .run(&mut *tx)
        .await?;
        Self::insert_rows(&mut tx, [&t.from, &t.to]).await?;
        Self::note_transfer_pair(&mut tx, owner, t).await?;
        Self::store_balance(&mut tx, t.from.account_id, from).await?;
        Self::store_balance(&mut tx, t.to.account_id, to).await?;
        Self::record(
            &mut tx,
            &transfer_changes(owner, t.from.created_at, None, Some(t)),
        )
        .await?;
        tx.commit().await?;
        Ok(AddedTransfer::Created)
    }

    async fn get_transfer(
        &self,
        owner: UserId,
        id: TransferId,
    ) -> Result<Option<Transfer>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::read_transfer(&mut conn, owner, id).await
    }

    async fn update_transfer(
        &self,
        owner: UserId,
        before: &Transfer,
        after: &Transfer,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let (from, to) = Self::lock_pair(&mut tx, owner, &before.from, &before.to).await?;
        for (books, old, new) in [
            (from, &before.from, &after.from),
            (to, &before.to, &after.to),
        ] {
            books.open_on(old.occurred_on)?;
            books.open_on(new.occurred_on)?;
        }
        let from = super::movements::replaced(from.balance, &before.from, &after.from)?;
        let to = super::movements::replaced(to.balance, &before.to, &after.to)?;
        for (old, new) in [(&before.from, &after.from), (&before.to, &after.to)] {
            let changed = sqlx::query::<E::Db>(
                "UPDATE movements SET amount = $3, description = $4, occurred_on = $5, \
                 updated_at = $6, updated_by = $9 WHERE id = $1 AND transfer_id = $2 AND amount = $7 \
                 AND coalesce(updated_at, created_at) = $8",
            )
            .bind(V(&old.id.0))
            .bind(V(&before.id.0))
            .bind(V(&new.amount.minor()))
            .bind(V(&new.description))
            .bind(V(&new.occurred_on))
            .bind(V(&new.updated_at))
            .bind(V(&old.amount.minor()))
            .bind(V(&old.updated_at))
            .bind(V(&new.updated_by.id.0))
            .run(&mut *tx)
            .await?;
            if changed == 0 {
                return Err(StoreError::Stale);
            }
        }
        Self::store_balance(&mut tx, before.from.account_id, from).await?;
        Self::store_balance(&mut tx, before.to.account_id, to).await?;
        let changes = transfer_changes(owner, after.from.updated_at, Some(before), Some(after));
        Self::record(&mut tx, &changes).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_transfer(
        &self,
        owner: UserId,
        id: TransferId,
        at: time::OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let t = Self::read_transfer(&mut tx, owner, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (from, to) = Self::lock_pair(&mut tx, owner, &t.from, &t.to).await?;
        from.open_on(t.from.occurred_on)?;
        to.open_on(t.to.occurred_on)?;
        let from = super::movements::unmoved(from.balance, &t.from)?;
        let to = super::movements::unmoved(to.balance, &t.to)?;
        sqlx::query::<E::Db>("DELETE FROM movements WHERE transfer_id = $1")
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        sqlx::query::<E::Db>("DELETE FROM transfers WHERE id = $1")
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        Self::store_balance(&mut tx, t.from.account_id, from).await?;
        Self::store_balance(&mut tx, t.to.account_id, to).await?;
        Self::record(&mut tx, &transfer_changes(owner, at, Some(&t), None)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A transfer's change, in the history of each of its two accounts.
fn transfer_changes(
    by: UserId,
    at: time::OffsetDateTime,
    before: Option<&Transfer>,
    after: Option<&Transfer>,
) -> Vec<Change> {
    let Some(t) = after.or(before) else {
        return Vec::new();
    };
    [t.from.account_id, t.to.account_id]
        .into_iter()
        .map(|account| {
            Change::of(
                account,
                at,
                by,
                HistoryEntity::Transfer,
                t.id.0,
                before,
                after,
            )
        })
        .collect()
}

impl<E: Engine> SqlStore<E> {
    /// Locks the two legs' accounts in id order (opposite transfers then wait for
    /// each other instead of deadlocking) and reads their books, `from`'s first.
    /// Across currencies, the pair has a rate the transfer implies from now on (see
    /// rate_pairs).
    pub(crate) async fn note_transfer_pair(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        t: &Transfer,
    ) -> Result<(), StoreError> {
        let (paid, got) = (t.from.amount.currency(), t.to.amount.currency());
        if paid == got {
            return Ok(());
        }
        sqlx::query::<E::Db>(
            "INSERT INTO rate_pairs (owner_id, base, quote, kind) \
             VALUES ($1, $2, $3, 't') ON CONFLICT DO NOTHING",
        )
        .bind(V(&owner.0))
        .bind(V(paid.code()))
        .bind(V(got.code()))
        .run(&mut *conn)
        .await?;
        Ok(())
    }

    pub(crate) async fn lock_pair(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        from: &Movement,
        to: &Movement,
    ) -> Result<(Books, Books), StoreError> {
        let (a, b) = (from.account_id, to.account_id);
        let (first, second) = if a <= b { (a, b) } else { (b, a) };
        let first_balance = Self::lock_books(conn, owner, first).await?;
        let second_balance = Self::lock_books(conn, owner, second).await?;
        Ok(if a <= b {
            (first_balance, second_balance)
        } else {
            (second_balance, first_balance)
        })
    }

    /// The transfer with its two legs, the outgoing one as `from`, if the user is a member
    /// of both legs' accounts (a member of one sees only that leg, as a movement).
    pub(crate) async fn read_transfer(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        id: TransferId,
    ) -> Result<Option<Transfer>, StoreError> {
        let rows = sqlx::query::<E::Db>(
            "SELECT m.seq, m.id, m.account_id, m.amount, m.description, m.category, \
             m.occurred_on, m.transfer_id, m.created_at, m.updated_at, \
             m.created_by, m.updated_by, cu.email AS created_email, uu.email AS updated_email, a.currency, \
             a.reconciled_on \
             FROM movements m JOIN accounts a ON a.id = m.account_id LEFT JOIN users cu ON cu.id = m.created_by LEFT JOIN users uu ON uu.id = m.updated_by \
             WHERE m.transfer_id = $1 AND NOT EXISTS (SELECT 1 FROM movements x \
             WHERE x.transfer_id = $1 AND x.account_id NOT IN \
             (SELECT account_id FROM account_members WHERE user_id = $2)) ORDER BY m.amount",
        )
        .bind(V(&id.0))
        .bind(V(&owner.0))
        .all::<OwnedMovementRow>(&mut *conn)
        .await?;
        let mut legs = rows
            .into_iter()
            .map(|r| r.into_movement())
            .collect::<Result<Vec<_>, _>>()?;
        if legs.is_empty() {
            return Ok(None);
        }
        if legs.len() != 2 {
            return Err(StoreError::Backend(Cause::from(format!(
                "transfer {id} has {} legs",
                legs.len()
            ))));
        }
        let to = legs.remove(1);
        let from = legs.remove(0);
        let rate = Transfer::rate_of(from.amount, to.amount);
        Ok(Some(Transfer { id, from, to, rate }))
    }
}
