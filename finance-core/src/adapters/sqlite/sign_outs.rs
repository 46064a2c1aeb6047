//! Sign-outs as plain rows, checked in the database on every request.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::SqliteStore;
use crate::adapters::sql::limits::{SIGNED_OUT, SignOutRow};
use crate::domain::UserId;
use crate::ports::{Revocations, StoreError, TokenIdentity};

#[async_trait]
impl Revocations for SqliteStore {
    async fn revoke_token(&self, token: &TokenIdentity) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO revoked_tokens (token_id, expires_at) VALUES ($1, $2) \
             ON CONFLICT (token_id) DO NOTHING",
        )
        .bind(&token.id)
        .bind(token.expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn revoke_all(&self, user: UserId, before: OffsetDateTime) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO token_cutoffs (user_id, not_before) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET not_before = excluded.not_before",
        )
        .bind(user.0)
        .bind(before)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn is_revoked(&self, token: &TokenIdentity) -> Result<bool, StoreError> {
        let row = sqlx::query_as::<_, SignOutRow>(SIGNED_OUT)
            .bind(&token.id)
            .bind(token.user.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.revokes(token))
    }
}
