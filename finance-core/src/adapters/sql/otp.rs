//! One-time codes and the send-count windows, when they live in the database (no Redis).

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};
use crate::domain::Email;

use time::{Duration, OffsetDateTime};

use crate::ports::{OtpStore, SendPermit, StoreError, StoredOtp};

#[derive(sqlx::FromRow)]
pub struct CodeRow {
    hash: String,
    expires_at: OffsetDateTime,
    attempts_left: i32,
}

impl From<CodeRow> for StoredOtp {
    fn from(row: CodeRow) -> Self {
        StoredOtp {
            hash: row.hash,
            expires_at: row.expires_at,
            attempts_left: u32::try_from(row.attempts_left).unwrap_or(0),
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct SendWindowRow {
    pub(crate) window_start: OffsetDateTime,
    pub(crate) count: i32,
}

#[async_trait]
impl<E: Engine> OtpStore for SqlStore<E> {
    async fn permit_send(
        &self,
        email: &Email,
        max: u32,
        window: Duration,
        now: OffsetDateTime,
    ) -> Result<SendPermit, StoreError> {
        let mut tx = self.begin_write().await?;
        // The no-op update locks an existing row at once (DO NOTHING would not), so
        // a purge cannot delete it between this statement and the next.
        sqlx::query::<E::Db>(
            "INSERT INTO otp_sends (email, window_start, count) VALUES ($1, $2, 0) \
             ON CONFLICT (email) DO UPDATE SET count = otp_sends.count",
        )
        .bind(V(email.as_str()))
        .bind(V(&now))
        .run(&mut *tx)
        .await?;
        let sent = sqlx::query::<E::Db>(E::LOCK_SEND_WINDOW)
            .bind(V(email.as_str()))
            .one::<SendWindowRow>(&mut *tx)
            .await?;
        let (start, count) = if sent.window_start + window <= now {
            (now, 0)
        } else {
            (sent.window_start, sent.count)
        };
        if count >= i32::try_from(max).unwrap_or(i32::MAX) {
            return Ok(SendPermit::RetryAfter(start + window - now));
        }
        sqlx::query::<E::Db>("UPDATE otp_sends SET window_start = $1, count = $2 WHERE email = $3")
            .bind(V(&start))
            .bind(V(&(count + 1)))
            .bind(V(email.as_str()))
            .run(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(SendPermit::Granted)
    }

    async fn save_otp(&self, email: &Email, otp: &StoredOtp) -> Result<(), StoreError> {
        sqlx::query::<E::Db>(
            "INSERT INTO otp_codes (email, hash, expires_at, attempts_left) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO UPDATE SET \
             hash = excluded.hash, expires_at = excluded.expires_at, \
             attempts_left = excluded.attempts_left",
        )
        .bind(V(email.as_str()))
        .bind(V(&otp.hash))
        .bind(V(&otp.expires_at))
        .bind(V(&i32::try_from(otp.attempts_left).unwrap_or(i32::MAX)))
        .run(&self.writer)
        .await?;
        Ok(())
    }

    async fn find_otp(&self, email: &Email) -> Result<Option<StoredOtp>, StoreError> {
        Ok(sqlx::query::<E::Db>(
            "SELECT hash, expires_at, attempts_left FROM otp_codes WHERE email = $1",
        )
        .bind(V(email.as_str()))
        .optional::<CodeRow>(&self.pool)
        .await?
        .map(StoredOtp::from))
    }

    async fn take_otp(&self, email: &Email, hash: &str) -> Result<bool, StoreError> {
        let taken = sqlx::query::<E::Db>("DELETE FROM otp_codes WHERE email = $1 AND hash = $2")
            .bind(V(email.as_str()))
            .bind(V(hash))
            .run(&self.writer)
            .await?;
        Ok(taken == 1)
    }

    async fn record_failed_try(&self, email: &Email) -> Result<u32, StoreError> {
        let left: Option<(i32,)> = sqlx::query::<E::Db>(
            "UPDATE otp_codes SET attempts_left = attempts_left - 1 \
             WHERE email = $1 AND attempts_left > 0 RETURNING attempts_left",
        )
        .bind(V(email.as_str()))
        .optional(&self.writer)
        .await?;
        let left = left.map_or(0, |(n,)| n);
        if left <= 0 {
            sqlx::query::<E::Db>("DELETE FROM otp_codes WHERE email = $1 AND attempts_left <= 0")
                .bind(V(email.as_str()))
                .run(&self.writer)
                .await?;
        }
        Ok(u32::try_from(left).unwrap_or(0))
    }
}
