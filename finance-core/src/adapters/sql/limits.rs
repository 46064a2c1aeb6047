//! Rate-limit counters (when there is no Redis) and sign-outs (always here). Postgres
//! records sign-outs its own way (`postgres::sign_outs`), so they are a macro of their own.

use time::OffsetDateTime;

/// Whether a token was signed out, alone or with all of its user's: one row, one round
/// trip, for the check every authenticated request makes.
#[derive(sqlx::FromRow)]
pub(crate) struct SignOutRow {
    pub(crate) revoked: i64,
    pub(crate) not_before: Option<OffsetDateTime>,
}

/// Whether a token was signed out: what every authenticated request asks when the answer
/// is not known in memory.
pub(crate) const SIGNED_OUT: &str = "\
    SELECT (SELECT count(*) FROM revoked_tokens WHERE token_id = $1) AS revoked, \
    (SELECT max(not_before) FROM token_cutoffs WHERE user_id = $2) AS not_before";

impl SignOutRow {
    pub(crate) fn revokes(&self, token: &crate::ports::TokenIdentity) -> bool {
        // The times are compared here, exactly, rather than as SQLite text.
        self.revoked > 0 || self.not_before.is_some_and(|t| token.issued_at < t)
    }
}

macro_rules! rate_limits {
    ($store:ty) => {
        #[async_trait]
        impl RateLimits for $store {
            async fn hit(
                &self,
                key: &str,
                bucket: i64,
                expires_at: OffsetDateTime,
            ) -> Result<BucketCounts, StoreError> {
                let current: i64 = sqlx::query_scalar(
                    "INSERT INTO rate_counters (key, bucket, count, expires_at) \
                     VALUES ($1, $2, 1, $3) ON CONFLICT (key, bucket) \
                     DO UPDATE SET count = rate_counters.count + 1 RETURNING count",
                )
                .bind(key)
                .bind(bucket)
                .bind(expires_at)
                .fetch_one(&self.writer)
                .await?;
                let previous: Option<i64> = sqlx::query_scalar(
                    "SELECT count FROM rate_counters WHERE key = $1 AND bucket = $2",
                )
                .bind(key)
                .bind(bucket - 1)
                .fetch_optional(&self.pool)
                .await?;
                Ok(BucketCounts {
                    current: $crate::adapters::sql::count(current),
                    previous: previous.map_or(0, $crate::adapters::sql::count),
                })
            }
        }
    };
}

/// Sign-outs as plain rows, checked in the database on every request.
macro_rules! sign_outs {
    ($store:ty) => {
        #[async_trait]
        impl Revocations for $store {
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

            async fn revoke_all(
                &self,
                user: UserId,
                before: OffsetDateTime,
            ) -> Result<(), StoreError> {
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
                let row = sqlx::query_as::<_, $crate::adapters::sql::limits::SignOutRow>(
                    $crate::adapters::sql::limits::SIGNED_OUT,
                )
                .bind(&token.id)
                .bind(token.user.0)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.revokes(token))
            }
        }
    };
}

pub(crate) use rate_limits;
pub(crate) use sign_outs;
