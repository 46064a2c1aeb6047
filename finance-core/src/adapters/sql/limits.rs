//! Rate-limit counters (when there is no Redis), and what SQLite's sign-outs read
//! (`sqlite::sign_outs`; Postgres records them its own way, `postgres::sign_outs`).

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};
use crate::ports::{BucketCounts, RateLimits, StoreError};

use time::OffsetDateTime;

/// Whether a token was signed out, alone or with all of its user's: one row, one round
/// trip, for the check every authenticated request makes.
#[derive(sqlx::FromRow)]
pub struct SignOutRow {
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

#[async_trait]
impl<E: Engine> RateLimits for SqlStore<E> {
    async fn hit(
        &self,
        key: &str,
        bucket: i64,
        expires_at: OffsetDateTime,
    ) -> Result<BucketCounts, StoreError> {
        let (current,): (i64,) = sqlx::query::<E::Db>(
            "INSERT INTO rate_counters (key, bucket, count, expires_at) \
             VALUES ($1, $2, 1, $3) ON CONFLICT (key, bucket) \
             DO UPDATE SET count = rate_counters.count + 1 RETURNING count",
        )
        .bind(V(key))
        .bind(V(&bucket))
        .bind(V(&expires_at))
        .one(&self.writer)
        .await?;
        let previous: Option<(i64,)> =
            sqlx::query::<E::Db>("SELECT count FROM rate_counters WHERE key = $1 AND bucket = $2")
                .bind(V(key))
                .bind(V(&(bucket - 1)))
                .optional(&self.pool)
                .await?;
        Ok(BucketCounts {
            current: super::count(current),
            previous: previous.map_or(0, |(n,)| super::count(n)),
        })
    }
}
