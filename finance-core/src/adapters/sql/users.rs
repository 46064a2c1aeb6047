//! Users: one row per email.

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};

use time::OffsetDateTime;
use uuid::Uuid;

use super::corrupt;
use crate::domain::{
    AccountId, Change, Currency, Email, HistoryEntity, Member, MemberStatus, User, UserId,
};
use crate::ports::{StoreError, UserRepository};

#[derive(sqlx::FromRow)]
pub struct UserRow {
    id: Uuid,
    email: String,
    created_at: OffsetDateTime,
    base_currency: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: UserId(row.id),
            email: Email::parse(&row.email).map_err(|e| corrupt("email", e))?,
            created_at: row.created_at,
            base_currency: row
                .base_currency
                .as_deref()
                .map(Currency::parse)
                .transpose()
                .map_err(|e| corrupt("currency", e))?,
        })
    }
}

#[async_trait]
impl<E: Engine> UserRepository for SqlStore<E> {
    async fn get_user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        sqlx::query::<E::Db>("SELECT id, email, created_at, base_currency FROM users WHERE id = $1")
            .bind(V(&id.0))
            .optional::<UserRow>(&self.pool)
            .await?
            .map(User::try_from)
            .transpose()
    }

    async fn find_user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        sqlx::query::<E::Db>(
            "SELECT id, email, created_at, base_currency FROM users WHERE email = $1",
        )
        .bind(V(email.as_str()))
        .optional::<UserRow>(&self.pool)
        .await?
        .map(User::try_from)
        .transpose()
    }

    async fn get_or_create_user(
        &self,
        id: UserId,
        email: &Email,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        sqlx::query::<E::Db>(
            "INSERT INTO users (id, email, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(V(&id.0))
        .bind(V(email.as_str()))
        .bind(V(&now))
        .run(&self.writer)
        .await?;
        self.find_user_by_email(email)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn set_base_currency(
        &self,
        id: UserId,
        currency: Option<Currency>,
    ) -> Result<(), StoreError> {
        let changed = sqlx::query::<E::Db>("UPDATE users SET base_currency = $2 WHERE id = $1")
            .bind(V(&id.0))
            .bind(V(&currency.map(|c| c.code().to_string())))
            .run(&self.writer)
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_user(&self, id: UserId, at: OffsetDateTime) -> Result<(), StoreError> {
        // Children before parents, as the foreign keys want; the user's row last, so a
        // user that is not there rolls the (empty) deletes back. What they wrote on
        // accounts that stay (movements, transfers between others' accounts) stays, with
        // their id and no email; a transfer leg whose other leg goes becomes a movement.
        const OWNED: &str = "(SELECT id FROM accounts WHERE owner_id = $1)";
        let deletes = [
            "DELETE FROM idempotency_keys WHERE user_id = $1".to_string(),
            "DELETE FROM otp_codes WHERE email = (SELECT email FROM users WHERE id = $1)".into(),
            "DELETE FROM invitations WHERE email = (SELECT email FROM users WHERE id = $1)".into(),
            format!("DELETE FROM invitations WHERE account_id IN {OWNED}"),
            "DELETE FROM schedules WHERE owner_id = $1".into(),
            format!("DELETE FROM schedules WHERE account_id IN {OWNED}"),
            format!(
                "UPDATE movements SET transfer_id = NULL WHERE account_id NOT IN {OWNED} \
                 AND transfer_id IN (SELECT transfer_id FROM movements \
                 WHERE account_id IN {OWNED} AND transfer_id IS NOT NULL)"
            ),
            format!("DELETE FROM movement_parts WHERE account_id IN {OWNED}"),
            format!("DELETE FROM movement_tags WHERE account_id IN {OWNED}"),
            format!("DELETE FROM movements WHERE account_id IN {OWNED}"),
            "DELETE FROM transfers WHERE owner_id = $1 AND id NOT IN \
             (SELECT transfer_id FROM movements WHERE transfer_id IS NOT NULL)"
                .into(),
            "UPDATE transfers SET owner_id = (SELECT a.owner_id FROM movements m \
             JOIN accounts a ON a.id = m.account_id WHERE m.transfer_id = transfers.id \
             ORDER BY m.amount LIMIT 1) WHERE owner_id = $1"
                .into(),
            "DELETE FROM webhook_attempts WHERE webhook_id IN \
             (SELECT id FROM webhooks WHERE user_id = $1)"
                .into(),
            "DELETE FROM webhook_deliveries WHERE webhook_id IN \
             (SELECT id FROM webhooks WHERE user_id = $1)"
                .into(),
            "DELETE FROM webhooks WHERE user_id = $1".into(),
            "DELETE FROM budget_alerts WHERE owner_id = $1".into(),
            "DELETE FROM budgets WHERE owner_id = $1".into(),
            "DELETE FROM rules WHERE owner_id = $1".into(),
            "DELETE FROM rates WHERE owner_id = $1".into(),
            "DELETE FROM rate_pairs WHERE owner_id = $1".into(),
            "DELETE FROM account_members WHERE user_id = $1".into(),
            format!("DELETE FROM account_members WHERE account_id IN {OWNED}"),
            "DELETE FROM accounts WHERE owner_id = $1".into(),
        ];
        let mut tx = self.begin_write().await?;
        // Checked in the transaction that deletes: a member who joins meanwhile waits
        // for it (the membership's insert needs the account row this deletes).
        let (shared,) = sqlx::query::<E::Db>(
            "SELECT count(*) FROM account_members m JOIN accounts a ON a.id = m.account_id \
             WHERE a.owner_id = $1 AND m.user_id <> $1",
        )
        .bind(V(&id.0))
        .one::<(i64,)>(&mut *tx)
        .await?;
        if shared > 0 {
            return Err(StoreError::Refused(crate::domain::Refusal::AccountShared));
        }
        // Leaving each account shared with them, in its history (their own accounts'
        // history goes with them).
        let left: Vec<(Uuid, String, String)> = sqlx::query::<E::Db>(
            "SELECT m.account_id, u.email, m.role FROM account_members m \
             JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id \
             WHERE m.user_id = $1 AND a.owner_id <> $1",
        )
        .bind(V(&id.0))
        .all(&mut *tx)
        .await?;
        let changes = left
            .into_iter()
            .map(|(account, email, role)| {
                let member = Member {
                    user_id: Some(id),
                    email: Email::parse(&email).map_err(|e| corrupt("email", e))?,
                    role: super::accounts::role(&role)?,
                    status: MemberStatus::Active,
                    expires_at: None,
                };
                let entity = HistoryEntity::Member;
                let account = AccountId(account);
                Ok(Change::of(
                    account,
                    at,
                    id,
                    entity,
                    id.0,
                    Some(&member),
                    None,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Self::record(&mut tx, &changes).await?;
        for sql in deletes {
            sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
                .bind(V(&id.0))
                .run(&mut *tx)
                .await?;
        }
        let gone = sqlx::query::<E::Db>("DELETE FROM users WHERE id = $1")
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }
}
