//! Users: one row per email.

use time::OffsetDateTime;
use uuid::Uuid;

use super::corrupt;
use crate::domain::{Currency, Email, User, UserId};
use crate::ports::StoreError;

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
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

macro_rules! user_repository {
    ($store:ty) => {
        #[async_trait]
        impl UserRepository for $store {
            async fn get_user(&self, id: UserId) -> Result<Option<User>, StoreError> {
                sqlx::query_as::<_, $crate::adapters::sql::users::UserRow>(
                    "SELECT id, email, created_at, base_currency FROM users WHERE id = $1",
                )
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?
                .map(User::try_from)
                .transpose()
            }

            async fn find_user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
                sqlx::query_as::<_, $crate::adapters::sql::users::UserRow>(
                    "SELECT id, email, created_at, base_currency FROM users WHERE email = $1",
                )
                .bind(email.as_str())
                .fetch_optional(&self.pool)
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
                sqlx::query(
                    "INSERT INTO users (id, email, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (email) DO NOTHING",
                )
                .bind(id.0)
                .bind(email.as_str())
                .bind(now)
                .execute(&self.writer)
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
                let changed = sqlx::query("UPDATE users SET base_currency = $2 WHERE id = $1")
                    .bind(id.0)
                    .bind(currency.map(|c| c.code().to_string()))
                    .execute(&self.writer)
                    .await?
                    .rows_affected();
                if changed == 0 {
                    return Err(StoreError::NotFound);
                }
                Ok(())
            }
        }
    };
}

pub(crate) use user_repository;
