//! Reconciliations for both engines: compared, locked and recorded under the account's
//! lock; the lock itself is the account's `reconciled_on` (see the migration), which every
//! write path checks through [`super::accounts::Books::open_on`].

use async_trait::async_trait;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::engine::{Engine, Run, V};
use super::{SqlStore, corrupt, count};
use crate::domain::{
    AccountId, Change, Currency, DayBalance, HistoryEntity, Money, Reconciled, Reconciliation,
    ReconciliationId, Refusal, Statement, UserId,
};
use crate::ports::{IdempotencyKey, ReconciliationRepository, StoreError};

const SELECT: &str = "SELECT r.id, r.account_id, r.on_date, r.balance, r.locked, r.previous, \
     r.created_at, r.created_by, a.currency FROM reconciliations r \
     JOIN accounts a ON a.id = r.account_id";

#[derive(sqlx::FromRow)]
pub struct ReconciliationRow {
    id: Uuid,
    account_id: Uuid,
    on_date: Date,
    balance: i64,
    locked: i64,
    previous: Option<Date>,
    created_at: OffsetDateTime,
    created_by: Uuid,
    currency: String,
}

impl ReconciliationRow {
    fn into_reconciliation(self) -> Result<(Reconciliation, Option<Date>), StoreError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("currency", e))?;
        Ok((
            Reconciliation {
                id: ReconciliationId(self.id),
                account_id: AccountId(self.account_id),
                date: self.on_date,
                balance: Money::from_minor(self.balance, currency),
                currency,
                locked: count(self.locked),
                created_at: self.created_at,
                created_by: UserId(self.created_by),
            },
            self.previous,
        ))
    }
}

/// The sum of an account's movements dated after `$2`: what its balance at the end of
/// that day lacks. Read from the (account, date) index.
const LATER: &str = "SELECT CAST(coalesce(sum(amount), 0) AS BIGINT) FROM movements \
     WHERE account_id = $1 AND occurred_on > $2";

#[async_trait]
impl<E: Engine> ReconciliationRepository for SqlStore<E> {
    async fn reconcile(
        &self,
        user: UserId,
        account: AccountId,
        statement: &Statement,
        id: ReconciliationId,
        at: OffsetDateTime,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(Reconciled, bool), StoreError> {
        let mut tx = self.begin_write().await?;
        let books = Self::lock_books(&mut tx, user, account).await?;
        if let Some(key) = &idempotency
            && !Self::record_key(&mut tx, user, key, id.0, at).await?
        {
            let first = Self::recorded_for(&mut tx, user, key).await?;
            let first = Self::read_reconciliation(&mut tx, account, ReconciliationId(first))
                .await?
                .ok_or(StoreError::NotFound)?;
            return Ok((Reconciled::Recorded(first.0), true));
        }
        books.open_on(statement.date)?;
        let (later,): (i64,) = sqlx::query::<E::Db>(LATER)
            .bind(V(&account.0))
            .bind(V(&statement.date))
            .one(&mut *tx)
            .await?;
        let ledger = i128::from(books.balance.minor()) - i128::from(later);
        let currency = books.balance.currency();
        if ledger != i128::from(statement.balance.minor()) {
            let ledger = i64::try_from(ledger).map_err(|_| StoreError::BalanceOverflow)?;
            return Ok((
                Reconciled::Mismatch {
                    ledger: Money::from_minor(ledger, currency),
                },
                false,
            ));
        }
        let mut locked =
            sqlx::QueryBuilder::<E::Db>::new("SELECT count(*) FROM movements WHERE account_id = ");
        locked
            .push_bind(V(&account.0))
            .push(" AND occurred_on <= ")
            .push_bind(V(&statement.date));
        if let Some(previous) = books.reconciled_on {
            locked.push(" AND occurred_on > ").push_bind(V(&previous));
        }
        let (locked,): (i64,) = locked.build().one(&mut *tx).await?;
        let reconciliation = Reconciliation {
            id,
            account_id: account,
            date: statement.date,
            balance: statement.balance,
            currency,
            locked: count(locked),
            created_at: at,
            created_by: user,
        };
        sqlx::query::<E::Db>(
            "INSERT INTO reconciliations \
             (id, account_id, on_date, balance, locked, previous, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(V(&id.0))
        .bind(V(&account.0))
        .bind(V(&statement.date))
        .bind(V(&statement.balance.minor()))
        .bind(V(&locked))
        .bind(V(&books.reconciled_on))
        .bind(V(&at))
        .bind(V(&user.0))
        .run(&mut *tx)
        .await?;
        Self::set_reconciled_on(&mut tx, account, Some(statement.date)).await?;
        let change = Change::of(
            account,
            at,
            user,
            HistoryEntity::Reconciliation,
            id.0,
            None,
            Some(&reconciliation),
        );
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok((Reconciled::Recorded(reconciliation), false))
    }

    async fn reconciliations(
        &self,
        _user: UserId,
        account: AccountId,
    ) -> Result<Vec<Reconciliation>, StoreError> {
        let rows = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.account_id = $1 ORDER BY r.on_date DESC"
        )))
        .bind(V(&account.0))
        .all::<ReconciliationRow>(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| r.into_reconciliation().map(|(r, _)| r))
            .collect()
    }

    async fn delete_reconciliation(
        &self,
        user: UserId,
        account: AccountId,
        id: ReconciliationId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let books = Self::lock_books(&mut tx, user, account).await?;
        let (gone, previous) = Self::read_reconciliation(&mut tx, account, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        // Only the latest may go: an older one's day is covered by a later lock.
        if books.reconciled_on != Some(gone.date) {
            return Err(StoreError::Refused(Refusal::Reconciled));
        }
        sqlx::query::<E::Db>("DELETE FROM reconciliations WHERE id = $1")
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        Self::set_reconciled_on(&mut tx, account, previous).await?;
        let change = Change::of(
            account,
            at,
            user,
            HistoryEntity::Reconciliation,
            id.0,
            Some(&gone),
            None,
        );
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn balance_on(
        &self,
        user: UserId,
        account: AccountId,
        on: Date,
    ) -> Result<DayBalance, StoreError> {
        // One statement: the balance and the later movements of one snapshot.
        let row: Option<(i64, String)> = sqlx::query::<E::Db>(
            "SELECT CAST(a.balance - coalesce((SELECT sum(x.amount) FROM movements x \
             WHERE x.account_id = a.id AND x.occurred_on > $3), 0) AS BIGINT), a.currency \
             FROM accounts a JOIN account_members m ON m.account_id = a.id \
             WHERE a.id = $1 AND m.user_id = $2",
        )
        .bind(V(&account.0))
        .bind(V(&user.0))
        .bind(V(&on))
        .optional(&self.pool)
        .await?;
        let (minor, currency) = row.ok_or(StoreError::NotFound)?;
        let currency = Currency::parse(&currency).map_err(|e| corrupt("currency", e))?;
        Ok(DayBalance {
            date: on,
            balance: Money::from_minor(minor, currency),
            currency,
        })
    }
}

impl<E: Engine> SqlStore<E> {
    /// One of the account's reconciliations with the reconciled day before it.
    async fn read_reconciliation(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        account: AccountId,
        id: ReconciliationId,
    ) -> Result<Option<(Reconciliation, Option<Date>)>, StoreError> {
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.id = $1 AND r.account_id = $2"
        )))
        .bind(V(&id.0))
        .bind(V(&account.0))
        .optional::<ReconciliationRow>(&mut *conn)
        .await?
        .map(ReconciliationRow::into_reconciliation)
        .transpose()
    }

    async fn set_reconciled_on(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        account: AccountId,
        day: Option<Date>,
    ) -> Result<(), StoreError> {
        sqlx::query::<E::Db>("UPDATE accounts SET reconciled_on = $2 WHERE id = $1")
            .bind(V(&account.0))
            .bind(V(&day))
            .run(&mut *conn)
            .await?;
        Ok(())
    }
}
