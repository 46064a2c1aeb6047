//! Movements: each insert moves its account's stored balance in the same transaction, and
//! a keyed insert records its idempotency key there too.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{
    AccountId, Currency, Money, MoneyError, Movement, MovementId, ScheduleId, TransferId,
};
use crate::ports::StoreError;

#[derive(sqlx::FromRow)]
pub(crate) struct MovementRow {
    seq: i64,
    id: Uuid,
    account_id: Uuid,
    amount: i64,
    description: String,
    category: Option<String>,
    occurred_on: Date,
    transfer_id: Option<Uuid>,
    /// Not every statement reads it (the write paths' replays do not need it).
    #[sqlx(default)]
    schedule_id: Option<Uuid>,
    created_at: OffsetDateTime,
    updated_at: Option<OffsetDateTime>,
}

/// A LIKE pattern for text anywhere in a value, its own `%`, `_` and `\` taken literally.
pub(crate) fn contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl MovementRow {
    pub(crate) fn account_id(&self) -> Uuid {
        self.account_id
    }

    /// The movement in its account's `currency`, with its place in the insertion order.
    pub(crate) fn into_movement(self, currency: Currency) -> (i64, Movement) {
        let movement = Movement {
            id: MovementId(self.id),
            account_id: AccountId(self.account_id),
            amount: Money::from_minor(self.amount, currency),
            description: self.description,
            category: self.category,
            occurred_on: self.occurred_on,
            transfer_id: self.transfer_id.map(TransferId),
            schedule_id: self.schedule_id.map(ScheduleId),
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
        };
        (self.seq, movement)
    }
}

/// `balance` with the movement taken back out: `BalanceOverflow` out of range.
pub(crate) fn unmoved(balance: Money, m: &Movement) -> Result<Money, StoreError> {
    balance.checked_sub(m.amount).map_err(|e| match e {
        MoneyError::Overflow => StoreError::BalanceOverflow,
        other => super::corrupt("movement currency", other),
    })
}

/// `balance` with `before` replaced by `after`, exact whatever the order: only the
/// result must fit (`BalanceOverflow` otherwise).
pub(crate) fn replaced(
    balance: Money,
    before: &Movement,
    after: &Movement,
) -> Result<Money, StoreError> {
    let currency = balance.currency();
    if before.amount.currency() != currency || after.amount.currency() != currency {
        return Err(super::corrupt(
            "movement currency",
            MoneyError::CurrencyMismatch(currency, after.amount.currency()),
        ));
    }
    let next = i128::from(balance.minor()) - i128::from(before.amount.minor())
        + i128::from(after.amount.minor());
    i64::try_from(next)
        .map(|minor| Money::from_minor(minor, currency))
        .map_err(|_| StoreError::BalanceOverflow)
}

/// Rows written by one INSERT: 9 parameters each stays far below both engines' limits.
pub(crate) const ROWS_PER_INSERT: usize = 500;

/// `balance` moved by the movement: `BalanceOverflow` out of range.
pub(crate) fn moved(balance: Money, m: &Movement) -> Result<Money, StoreError> {
    balance.checked_add(m.amount).map_err(|e| match e {
        MoneyError::Overflow => StoreError::BalanceOverflow,
        other => super::corrupt("movement currency", other),
    })
}

/// A movement read with its account's currency (for reads that start from the movement).
#[derive(sqlx::FromRow)]
pub(crate) struct OwnedMovementRow {
    #[sqlx(flatten)]
    movement: MovementRow,
    currency: String,
}

impl OwnedMovementRow {
    pub(crate) fn into_movement(self) -> Result<Movement, StoreError> {
        let currency =
            Currency::parse(&self.currency).map_err(|e| super::corrupt("currency", e))?;
        Ok(self.movement.into_movement(currency).1)
    }
}

/// What a recorded idempotency key points at.
#[derive(sqlx::FromRow)]
pub(crate) struct KeyRow {
    pub(crate) fingerprint: String,
    pub(crate) movement_id: Uuid,
}

/// A movement written by Postgres in one statement, so the account row is locked for that
/// statement alone rather than for five round trips of a transaction: it locks the
/// owner's account, records the idempotency key (`$9`, `$10`; NULL for none), moves the
/// balance only if the key is new, and inserts the movement. A balance out of range
/// aborts the statement (`bigint out of range`), so nothing is written.
///
/// The row says what happened: `found` false is a missing account, `open` false an
/// archived one (nothing written); else a NULL `balance` is a key already recorded (the
/// caller replays it), and otherwise the new balance.
#[cfg(feature = "postgres")]
pub(crate) const PG_ADD_MOVEMENT: &str = "\
    WITH acct AS ( \
        SELECT id, archived FROM accounts WHERE id = $2 AND owner_id = $1 FOR UPDATE \
    ), open AS ( \
        SELECT id FROM acct WHERE NOT archived \
    ), new_key AS ( \
        INSERT INTO idempotency_keys (user_id, key, fingerprint, movement_id, created_at) \
        SELECT $1, $9, $10, $3, $8 FROM open WHERE $9::text IS NOT NULL \
        ON CONFLICT (user_id, key) DO NOTHING RETURNING 1 \
    ), moved AS ( \
        UPDATE accounts SET balance = accounts.balance + $4 \
        WHERE accounts.id = $2 AND EXISTS (SELECT 1 FROM open) \
          AND ($9::text IS NULL OR EXISTS (SELECT 1 FROM new_key)) \
        RETURNING accounts.balance, accounts.currency \
    ), inserted AS ( \
        INSERT INTO movements \
        (id, account_id, amount, description, category, occurred_on, created_at, updated_at) \
        SELECT $3, $2, $4, $5, $6, $7, $8, $11 FROM moved \
    ) \
    SELECT EXISTS (SELECT 1 FROM acct) AS found, EXISTS (SELECT 1 FROM open) AS open, \
        moved.balance, moved.currency \
    FROM (SELECT 1) AS one LEFT JOIN moved ON true";

/// What [`PG_ADD_MOVEMENT`] answers.
#[cfg(feature = "postgres")]
#[derive(sqlx::FromRow)]
pub(crate) struct WrittenRow {
    pub(crate) found: bool,
    pub(crate) open: bool,
    pub(crate) balance: Option<i64>,
    pub(crate) currency: Option<String>,
}

macro_rules! movement_repository {
    ($store:ty, db = $db:ty, ilike = $ilike:literal, fts = $fts:literal) => {
        #[async_trait]
        impl MovementRepository for $store {
            async fn add_movement(
                &self,
                owner: UserId,
                m: &Movement,
                idempotency: Option<IdempotencyKey>,
            ) -> Result<Added, StoreError> {
                // Each engine writes its own way: Postgres in one statement, SQLite in
                // group commits (see their modules).
                self.write_movement(owner, m, idempotency).await
            }

            async fn import_rows(
                &self,
                owner: UserId,
                account: AccountId,
                rows: &[ImportRow],
            ) -> Result<Imported, StoreError> {
                // Each engine its own way: Postgres in a few array statements, SQLite in
                // multi-row inserts (see their `imports` modules).
                self.import_batch(owner, account, rows).await
            }

            async fn get_movement(
                &self,
                owner: UserId,
                account: AccountId,
                id: MovementId,
            ) -> Result<Option<Movement>, StoreError> {
                let row = sqlx::query_as::<_, $crate::adapters::sql::movements::OwnedMovementRow>(
                    "SELECT m.seq, m.id, m.account_id, m.amount, m.description, m.category, \
                     m.occurred_on, m.transfer_id, m.schedule_id, m.created_at, m.updated_at, \
                     a.currency \
                     FROM movements m JOIN accounts a ON a.id = m.account_id \
                     WHERE m.id = $1 AND m.account_id = $2 AND a.owner_id = $3",
                )
                .bind(id.0)
                .bind(account.0)
                .bind(owner.0)
                .fetch_optional(&self.pool)
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
                let balance = Self::lock_account(&mut tx, owner, before.account_id).await?;
                let new_balance =
                    $crate::adapters::sql::movements::replaced(balance, before, after)?;
                let changed = sqlx::query(
                    "UPDATE movements SET amount = $3, description = $4, category = $5, \
                     occurred_on = $6, updated_at = $7 \
                     WHERE id = $1 AND account_id = $2 AND transfer_id IS NULL \
                     AND amount = $8 AND description = $9 AND occurred_on = $10 \
                     AND coalesce(updated_at, created_at) = $11",
                )
                .bind(before.id.0)
                .bind(before.account_id.0)
                .bind(after.amount.minor())
                .bind(&after.description)
                .bind(&after.category)
                .bind(after.occurred_on)
                .bind(after.updated_at)
                .bind(before.amount.minor())
                .bind(&before.description)
                .bind(before.occurred_on)
                .bind(before.updated_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::Stale);
                }
                Self::store_balance(&mut tx, before.account_id, new_balance).await?;
                tx.commit().await?;
                Ok(new_balance)
            }

            async fn delete_movement(
                &self,
                owner: UserId,
                before: &Movement,
            ) -> Result<Money, StoreError> {
                let mut tx = self.begin_write().await?;
                let balance = Self::lock_account(&mut tx, owner, before.account_id).await?;
                let new_balance = $crate::adapters::sql::movements::unmoved(balance, before)?;
                let deleted = sqlx::query(
                    "DELETE FROM movements WHERE id = $1 AND account_id = $2 \
                     AND transfer_id IS NULL AND amount = $3 AND description = $4 \
                     AND occurred_on = $5 AND coalesce(updated_at, created_at) = $6",
                )
                .bind(before.id.0)
                .bind(before.account_id.0)
                .bind(before.amount.minor())
                .bind(&before.description)
                .bind(before.occurred_on)
                .bind(before.updated_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::Stale);
                }
                Self::store_balance(&mut tx, before.account_id, new_balance).await?;
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
                let mut sql = sqlx::QueryBuilder::<$db>::new("");
                // The trigram index answers a plain pattern of three characters or more,
                // once for the statement however many accounts' pages use it; anything
                // else is matched row by row.
                let indexed = $fts
                    && q.q
                        .as_deref()
                        .is_some_and(|t| t.chars().count() >= 3 && !t.contains(['%', '_', '\\']));
                if let (true, Some(text)) = (indexed, &q.q) {
                    sql.push(
                        "WITH hits (seq) AS MATERIALIZED (SELECT rowid FROM movements_search \
                         WHERE description LIKE ",
                    )
                    .push_bind(format!("%{text}%"))
                    .push(") ");
                }
                match accounts {
                    [] => {
                        return Ok(MovementPage {
                            items: Vec::new(),
                            next_cursor: None,
                        });
                    }
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
                            ") AS pages ORDER BY occurred_on DESC, seq DESC LIMIT {limit}"
                        ));
                    }
                }
                let rows = sql
                    .build_query_as::<$crate::adapters::sql::movements::MovementRow>()
                    .fetch_all(self.lists())
                    .await?;
                let currency_of = |id: uuid::Uuid| {
                    accounts
                        .iter()
                        .find(|a| a.id.0 == id)
                        .map(|a| a.currency)
                        .ok_or_else(|| StoreError::Backend(Cause::from("a row of another account")))
                };
                let mut items = rows
                    .into_iter()
                    .map(|r| {
                        let currency = currency_of(r.account_id())?;
                        Ok(r.into_movement(currency))
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

        impl $store {
            /// One account's page: only the conditions in use are written out, so each
            /// shape of query gets a plan that walks the (account_id, occurred_on, seq)
            /// index directly. Amount bounds are turned into the account's minor units;
            /// with `indexed`, the text is matched by the statement's `hits`.
            fn push_page(
                sql: &mut sqlx::QueryBuilder<$db>,
                account: &Account,
                q: &MovementQuery,
                limit: u32,
                indexed: bool,
            ) {
                sql.push(concat!(
                    "SELECT seq, id, account_id, amount, description, category, occurred_on, ",
                    "transfer_id, schedule_id, created_at, updated_at FROM movements WHERE account_id = "
                ));
                sql.push_bind(account.id.0);
                if let Some(from) = q.from {
                    sql.push(" AND occurred_on >= ").push_bind(from);
                }
                if let Some(to) = q.to {
                    sql.push(" AND occurred_on <= ").push_bind(to);
                }
                if let Some(text) = &q.q {
                    if indexed {
                        sql.push(" AND seq IN (SELECT seq FROM hits)");
                    } else {
                        sql.push(concat!(" AND description ", $ilike, " "))
                            .push_bind($crate::adapters::sql::movements::contains(text))
                            .push(" ESCAPE '\\'");
                    }
                }
                if let Some(category) = &q.category {
                    sql.push(" AND category = ").push_bind(category.clone());
                }
                let exp = account.currency.exponent();
                if let Some(min) = q.min {
                    sql.push(" AND amount >= ").push_bind(min.minor(exp, true));
                }
                if let Some(max) = q.max {
                    sql.push(" AND amount <= ").push_bind(max.minor(exp, false));
                }
                if let Some(c) = q.cursor {
                    sql.push(" AND (occurred_on, seq) < (")
                        .push_bind(c.occurred_on)
                        .push(", ")
                        .push_bind(c.seq)
                        .push(")");
                }
                sql.push(format!(
                    " ORDER BY occurred_on DESC, seq DESC LIMIT {limit}"
                ));
            }

            /// Inserts movement rows, many to a statement; their balance is the caller's
            /// to store.
            async fn insert_rows<'m>(
                conn: &mut <$db as sqlx::Database>::Connection,
                movements: impl IntoIterator<Item = &'m Movement>,
            ) -> Result<(), StoreError> {
                let all: Vec<&Movement> = movements.into_iter().collect();
                for chunk in all.chunks($crate::adapters::sql::movements::ROWS_PER_INSERT) {
                    let mut sql = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO movements (id, account_id, amount, description, category, \
                         occurred_on, transfer_id, schedule_id, created_at, updated_at) ",
                    );
                    sql.push_values(chunk, |mut row, m| {
                        row.push_bind(m.id.0)
                            .push_bind(m.account_id.0)
                            .push_bind(m.amount.minor())
                            .push_bind(m.description.clone())
                            .push_bind(m.category.clone())
                            .push_bind(m.occurred_on)
                            .push_bind(m.transfer_id.map(|t| t.0))
                            .push_bind(m.schedule_id.map(|t| t.0))
                            .push_bind(m.created_at)
                            .push_bind(m.updated_at);
                    });
                    sql.build().execute(&mut *conn).await?;
                }
                Ok(())
            }

            async fn store_balance(
                conn: &mut <$db as sqlx::Database>::Connection,
                account: AccountId,
                balance: Money,
            ) -> Result<(), StoreError> {
                sqlx::query("UPDATE accounts SET balance = $1 WHERE id = $2")
                    .bind(balance.minor())
                    .bind(account.0)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            /// Records `key` as used for `target` (a movement or a transfer); false if the
            /// owner has used it already.
            async fn record_key(
                conn: &mut <$db as sqlx::Database>::Connection,
                owner: UserId,
                key: &IdempotencyKey,
                target: uuid::Uuid,
                at: time::OffsetDateTime,
            ) -> Result<bool, StoreError> {
                let inserted = sqlx::query(
                    "INSERT INTO idempotency_keys \
                     (user_id, key, fingerprint, movement_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING",
                )
                .bind(owner.0)
                .bind(&key.key)
                .bind(&key.fingerprint)
                .bind(target)
                .bind(at)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                Ok(inserted > 0)
            }

            /// What a recorded key was first used for, if it was for the same request
            /// (`Refused(IdempotencyKeyReused)` otherwise).
            async fn recorded_for(
                conn: &mut <$db as sqlx::Database>::Connection,
                owner: UserId,
                key: &IdempotencyKey,
            ) -> Result<uuid::Uuid, StoreError> {
                let recorded = sqlx::query_as::<_, $crate::adapters::sql::movements::KeyRow>(
                    "SELECT fingerprint, movement_id FROM idempotency_keys \
                     WHERE user_id = $1 AND key = $2",
                )
                .bind(owner.0)
                .bind(&key.key)
                .fetch_one(&mut *conn)
                .await?;
                if recorded.fingerprint != key.fingerprint {
                    return Err(StoreError::Refused($crate::domain::Refusal::IdempotencyKeyReused));
                }
                Ok(recorded.movement_id)
            }

            /// Answers a key that is already recorded: the first movement for the same
            /// request, a mismatch for another. Runs inside the caller's transaction,
            /// which is dropped (rolled back) afterwards, or
            /// outside one where the key was refused without writing anything.
            async fn replay(
                conn: &mut <$db as sqlx::Database>::Connection,
                owner: UserId,
                key: &IdempotencyKey,
                currency: Currency,
            ) -> Result<Added, StoreError> {
                let first = Self::recorded_for(conn, owner, key).await?;
                let (_, movement) =
                    sqlx::query_as::<_, $crate::adapters::sql::movements::MovementRow>(
                        "SELECT seq, id, account_id, amount, description, category, occurred_on, \
                     transfer_id, schedule_id, created_at, updated_at FROM movements WHERE id = $1",
                    )
                    .bind(first)
                    .fetch_one(&mut *conn)
                    .await?
                    .into_movement(currency);
                Ok(Added::Replayed { movement })
            }
        }
    };
}

pub(crate) use movement_repository;
