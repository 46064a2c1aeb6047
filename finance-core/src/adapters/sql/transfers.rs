//! Transfers: a row tying two movements (its legs, which carry its id) and the two
//! balances that move with them, all in one transaction.

macro_rules! transfer_repository {
    ($store:ty, db = $db:ty) => {
        #[async_trait]
        impl TransferRepository for $store {
            async fn add_transfer(
                &self,
                owner: UserId,
                t: &Transfer,
                idempotency: Option<IdempotencyKey>,
            ) -> Result<AddedTransfer, StoreError> {
                let mut tx = self.begin_write().await?;
                let (from, to) = Self::lock_pair(&mut tx, owner, &t.from, &t.to).await?;
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
                let from = $crate::adapters::sql::movements::moved(from, &t.from)?;
                let to = $crate::adapters::sql::movements::moved(to, &t.to)?;
                sqlx::query("INSERT INTO transfers (id, owner_id, created_at) VALUES ($1, $2, $3)")
                    .bind(t.id.0)
                    .bind(owner.0)
                    .bind(t.from.created_at)
                    .execute(&mut *tx)
                    .await?;
                Self::insert_rows(&mut tx, [&t.from, &t.to]).await?;
                let (paid, got) = (t.from.amount.currency(), t.to.amount.currency());
                if paid != got {
                    // The pair now has a rate this transfer implies (see rate_pairs).
                    sqlx::query(
                        "INSERT INTO rate_pairs (owner_id, base, quote, kind) \
                         VALUES ($1, $2, $3, 't') ON CONFLICT DO NOTHING",
                    )
                    .bind(owner.0)
                    .bind(paid.code())
                    .bind(got.code())
                    .execute(&mut *tx)
                    .await?;
                }
                Self::store_balance(&mut tx, t.from.account_id, from).await?;
                Self::store_balance(&mut tx, t.to.account_id, to).await?;
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
                let from =
                    $crate::adapters::sql::movements::replaced(from, &before.from, &after.from)?;
                let to = $crate::adapters::sql::movements::replaced(to, &before.to, &after.to)?;
                for (old, new) in [(&before.from, &after.from), (&before.to, &after.to)] {
                    let changed = sqlx::query(
                        "UPDATE movements SET amount = $3, description = $4, occurred_on = $5, \
                         updated_at = $6 WHERE id = $1 AND transfer_id = $2 AND amount = $7 \
                         AND coalesce(updated_at, created_at) = $8",
                    )
                    .bind(old.id.0)
                    .bind(before.id.0)
                    .bind(new.amount.minor())
                    .bind(&new.description)
                    .bind(new.occurred_on)
                    .bind(new.updated_at)
                    .bind(old.amount.minor())
                    .bind(old.updated_at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if changed == 0 {
                        return Err(StoreError::Stale);
                    }
                }
                Self::store_balance(&mut tx, before.from.account_id, from).await?;
                Self::store_balance(&mut tx, before.to.account_id, to).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn delete_transfer(
                &self,
                owner: UserId,
                id: TransferId,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let t = Self::read_transfer(&mut tx, owner, id)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let (from, to) = Self::lock_pair(&mut tx, owner, &t.from, &t.to).await?;
                let from = $crate::adapters::sql::movements::unmoved(from, &t.from)?;
                let to = $crate::adapters::sql::movements::unmoved(to, &t.to)?;
                sqlx::query("DELETE FROM movements WHERE transfer_id = $1")
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM transfers WHERE id = $1 AND owner_id = $2")
                    .bind(id.0)
                    .bind(owner.0)
                    .execute(&mut *tx)
                    .await?;
                Self::store_balance(&mut tx, t.from.account_id, from).await?;
                Self::store_balance(&mut tx, t.to.account_id, to).await?;
                tx.commit().await?;
                Ok(())
            }
        }

        impl $store {
            /// Locks the two legs' accounts in id order (opposite transfers then wait for
            /// each other instead of deadlocking) and reads their balances, `from`'s first.
            async fn lock_pair(
                conn: &mut <$db as sqlx::Database>::Connection,
                owner: UserId,
                from: &Movement,
                to: &Movement,
            ) -> Result<(Money, Money), StoreError> {
                let (a, b) = (from.account_id, to.account_id);
                let (first, second) = if a <= b { (a, b) } else { (b, a) };
                let first_balance = Self::lock_account(conn, owner, first).await?;
                let second_balance = Self::lock_account(conn, owner, second).await?;
                Ok(if a <= b {
                    (first_balance, second_balance)
                } else {
                    (second_balance, first_balance)
                })
            }

            /// The owner's transfer with its two legs, the outgoing one as `from`.
            async fn read_transfer(
                conn: &mut <$db as sqlx::Database>::Connection,
                owner: UserId,
                id: TransferId,
            ) -> Result<Option<Transfer>, StoreError> {
                let rows = sqlx::query_as::<_, $crate::adapters::sql::movements::OwnedMovementRow>(
                    "SELECT m.seq, m.id, m.account_id, m.amount, m.description, m.category, \
                     m.occurred_on, m.transfer_id, m.created_at, m.updated_at, a.currency \
                     FROM movements m JOIN accounts a ON a.id = m.account_id \
                     WHERE m.transfer_id = $1 AND a.owner_id = $2 ORDER BY m.amount",
                )
                .bind(id.0)
                .bind(owner.0)
                .fetch_all(&mut *conn)
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
    };
}

pub(crate) use transfer_repository;
