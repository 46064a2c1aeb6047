//! Accounts, with their stored balance, and the lock that writers of a balance take.

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};

use time::OffsetDateTime;
use uuid::Uuid;

use super::corrupt;
use crate::domain::{
    Account, AccountId, Change, Currency, HistoryEntity, Money, Refusal, Role, UserId,
};
use crate::ports::{AccountRepository, StoreError};

#[derive(sqlx::FromRow)]
pub struct AccountRow {
    id: Uuid,
    owner_id: Uuid,
    name: String,
    currency: String,
    balance: i64,
    archived: bool,
    created_at: OffsetDateTime,
    /// The reader's role.
    role: String,
    reconciled_on: Option<time::Date>,
}

/// The accounts a user (`$1`) is a member of, with their role: the one way the store reads
/// accounts for a user, so none is read past its membership. The owner's email is not
/// read here: the use cases remember emails per user (they never change for an id).
pub(crate) const VISIBLE: &str = "SELECT a.id, a.owner_id, a.name, a.currency, a.balance, \
     a.archived, a.created_at, m.role, a.reconciled_on \
     FROM account_members m JOIN accounts a ON a.id = m.account_id WHERE m.user_id = $1";

/// A stored role name as the domain's role.
pub(crate) fn role(name: &str) -> Result<Role, StoreError> {
    Role::from_name(name).ok_or_else(|| StoreError::Backend(format!("stored role {name:?}").into()))
}

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;

    fn try_from(row: AccountRow) -> Result<Self, StoreError> {
        let currency = Currency::parse(&row.currency).map_err(|e| corrupt("currency", e))?;
        Ok(Account {
            reconciled_on: row.reconciled_on,
            id: AccountId(row.id),
            owner_id: UserId(row.owner_id),
            owner_email: None,
            role: role(&row.role)?,
            name: row.name,
            currency,
            balance: Money::from_minor(row.balance, currency),
            archived: row.archived,
            created_at: row.created_at,
        })
    }
}

/// An account's balance as a writer reads it under the lock.
#[derive(sqlx::FromRow)]
pub struct BalanceRow {
    balance: i64,
    currency: String,
    archived: bool,
    role: String,
    reconciled_on: Option<time::Date>,
}

/// What a writer of an account reads under its lock: the balance, and the latest day
/// reconciled, on or before which nothing may be written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Books {
    pub(crate) balance: Money,
    pub(crate) reconciled_on: Option<time::Date>,
}

impl Books {
    /// `Refused(Reconciled)` when `day` is on or before the latest reconciled day.
    pub(crate) fn open_on(&self, day: time::Date) -> Result<(), StoreError> {
        match self.reconciled_on {
            Some(through) if day <= through => Err(StoreError::Refused(Refusal::Reconciled)),
            _ => Ok(()),
        }
    }
}

impl TryFrom<BalanceRow> for Books {
    type Error = StoreError;

    /// The books of an account that takes writes; an archived one is `Refused`.
    fn try_from(row: BalanceRow) -> Result<Self, StoreError> {
        crate::domain::access(Some(role(&row.role)?), crate::domain::Action::Write)?;
        if row.archived {
            return Err(StoreError::Refused(Refusal::AccountArchived));
        }
        let currency = Currency::parse(&row.currency).map_err(|e| corrupt("currency", e))?;
        Ok(Books {
            balance: Money::from_minor(row.balance, currency),
            reconciled_on: row.reconciled_on,
        })
    }
}

pub(crate) fn account_change(
    by: UserId,
    at: OffsetDateTime,
    before: Option<&Account>,
    after: Option<&Account>,
) -> Change {
    let id = after.or(before).map_or(AccountId(Uuid::nil()), |a| a.id);
    Change::of(id, at, by, HistoryEntity::Account, id.0, before, after)
}

#[async_trait]
impl<E: Engine> AccountRepository for SqlStore<E> {
    async fn create_account(&self, a: &Account) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<E::Db>(
            "INSERT INTO accounts (id, owner_id, name, currency, balance, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(V(&a.id.0))
        .bind(V(&a.owner_id.0))
        .bind(V(&a.name))
        .bind(V(a.currency.code()))
        .bind(V(&a.balance.minor()))
        .bind(V(&a.created_at))
        .run(&mut *tx)
        .await
        .map_err(super::map_unique(crate::domain::Refusal::NameTaken))?;
        sqlx::query::<E::Db>(
            "INSERT INTO account_members (account_id, user_id, role, joined_at) \
             VALUES ($1, $2, 'owner', $3)",
        )
        .bind(V(&a.id.0))
        .bind(V(&a.owner_id.0))
        .bind(V(&a.created_at))
        .run(&mut *tx)
        .await?;
        let change = account_change(a.owner_id, a.created_at, None, Some(a));
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_account(
        &self,
        owner: UserId,
        id: AccountId,
    ) -> Result<Option<Account>, StoreError> {
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!("{VISIBLE} AND a.id = $2")))
            .bind(V(&owner.0))
            .bind(V(&id.0))
            .optional::<AccountRow>(&self.pool)
            .await?
            .map(Account::try_from)
            .transpose()
    }

    async fn find_account_by_name(
        &self,
        owner: UserId,
        name: &str,
    ) -> Result<Option<Account>, StoreError> {
        // Names are unique per owner; among the accounts shared with them, the user's own
        // comes first.
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "{VISIBLE} AND a.name = $2 ORDER BY m.role = 'owner' DESC, a.created_at LIMIT 1"
        )))
        .bind(V(&owner.0))
        .bind(V(name))
        .optional::<AccountRow>(&self.pool)
        .await?
        .map(Account::try_from)
        .transpose()
    }

    async fn list_accounts(&self, owner: UserId) -> Result<Vec<Account>, StoreError> {
        let rows = sqlx::query::<E::Db>(VISIBLE)
            .bind(V(&owner.0))
            .all::<AccountRow>(&self.pool)
            .await?;
        let mut accounts = rows
            .into_iter()
            .map(Account::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        // Sorted here, not in SQL, so both engines agree whatever their collation.
        accounts.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(accounts)
    }

    async fn update_account(
        &self,
        owner: UserId,
        before: &Account,
        a: &Account,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query::<E::Db>(
            "UPDATE accounts SET name = $3, archived = $4 WHERE id = $1 AND owner_id = $2",
        )
        .bind(V(&a.id.0))
        .bind(V(&owner.0))
        .bind(V(&a.name))
        .bind(V(&a.archived))
        .run(&mut *tx)
        .await
        .map_err(super::map_unique(crate::domain::Refusal::NameTaken))?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Self::record(&mut tx, &[account_change(owner, at, Some(before), Some(a))]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_account(
        &self,
        owner: UserId,
        id: AccountId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // Each member learns from the feed that the account is gone for them (its own
        // rows go with it: a member sees nothing of it after this).
        sqlx::query::<E::Db>(
            "INSERT INTO changes (user_id, at, entity, entity_id, action) \
             SELECT m.user_id, $3, 'account', $4, 'deleted' FROM account_members m \
             JOIN accounts a ON a.id = m.account_id WHERE a.id = $1 AND a.owner_id = $2",
        )
        .bind(V(&id.0))
        .bind(V(&owner.0))
        .bind(V(&at))
        .bind(V(id.0.to_string().as_str()))
        .run(&mut *tx)
        .await?;
        Self::hook_account_deleted(&mut tx, id, at).await?;
        // The movements' foreign key refuses the delete, in the same statement, even
        // when a movement is being added at that moment.
        let deleted = sqlx::query::<E::Db>("DELETE FROM accounts WHERE id = $1 AND owner_id = $2")
            .bind(V(&id.0))
            .bind(V(&owner.0))
            .run(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                    StoreError::Refused(crate::domain::Refusal::HasMovements)
                }
                _ => e.into(),
            })?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }
}

impl<E: Engine> SqlStore<E> {
    /// Locks the account until the transaction ends and reads its balance, if `owner` may
    /// write to it (`NotFound` for a non-member, `Forbidden` for a viewer, `Refused` if it
    /// is archived). The membership row is locked too, so a removal or a new role waits
    /// for this write, and a write after it sees it.
    /// The lock serialises every writer of this account, so no balance update is
    /// lost, however many run at once.
    pub(crate) async fn lock_account(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        account: AccountId,
    ) -> Result<Money, StoreError> {
        Ok(Self::lock_books(conn, owner, account).await?.balance)
    }

    /// [`Self::lock_account`], with the latest reconciled day.
    pub(crate) async fn lock_books(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        account: AccountId,
    ) -> Result<Books, StoreError> {
        sqlx::query::<E::Db>(E::LOCK_BALANCE)
            .bind(V(&account.0))
            .bind(V(&owner.0))
            .optional::<BalanceRow>(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)
            .and_then(Books::try_from)
    }
}
