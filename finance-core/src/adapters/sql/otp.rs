//! One-time codes and the send-count windows, when they live in the database (no Redis).

use time::OffsetDateTime;

use crate::ports::StoredOtp;

#[derive(sqlx::FromRow)]
pub(crate) struct CodeRow {
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
pub(crate) struct SendWindowRow {
    pub(crate) window_start: OffsetDateTime,
    pub(crate) count: i32,
}

macro_rules! otp_store {
    ($store:ty, lock = $lock:literal) => {
        #[async_trait]
        impl OtpStore for $store {
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
                sqlx::query(
                    "INSERT INTO otp_sends (email, window_start, count) VALUES ($1, $2, 0) \
                     ON CONFLICT (email) DO UPDATE SET count = otp_sends.count",
                )
                .bind(email.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let sent = sqlx::query_as::<_, $crate::adapters::sql::otp::SendWindowRow>(concat!(
                    "SELECT window_start, count FROM otp_sends WHERE email = $1",
                    $lock
                ))
                .bind(email.as_str())
                .fetch_one(&mut *tx)
                .await?;
                let (start, count) = if sent.window_start + window <= now {
                    (now, 0)
                } else {
                    (sent.window_start, sent.count)
                };
                if count >= i32::try_from(max).unwrap_or(i32::MAX) {
                    return Ok(SendPermit::RetryAfter(start + window - now));
                }
                sqlx::query("UPDATE otp_sends SET window_start = $1, count = $2 WHERE email = $3")
                    .bind(start)
                    .bind(count + 1)
                    .bind(email.as_str())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(SendPermit::Granted)
            }

            async fn save_otp(&self, email: &Email, otp: &StoredOtp) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO otp_codes (email, hash, expires_at, attempts_left) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO UPDATE SET \
                     hash = excluded.hash, expires_at = excluded.expires_at, \
                     attempts_left = excluded.attempts_left",
                )
                .bind(email.as_str())
                .bind(&otp.hash)
                .bind(otp.expires_at)
                .bind(i32::try_from(otp.attempts_left).unwrap_or(i32::MAX))
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn find_otp(&self, email: &Email) -> Result<Option<StoredOtp>, StoreError> {
                Ok(sqlx::query_as::<_, $crate::adapters::sql::otp::CodeRow>(
                    "SELECT hash, expires_at, attempts_left FROM otp_codes WHERE email = $1",
                )
                .bind(email.as_str())
                .fetch_optional(&self.pool)
                .await?
                .map(StoredOtp::from))
            }

            async fn take_otp(&self, email: &Email, hash: &str) -> Result<bool, StoreError> {
                let taken = sqlx::query("DELETE FROM otp_codes WHERE email = $1 AND hash = $2")
                    .bind(email.as_str())
                    .bind(hash)
                    .execute(&self.writer)
                    .await?
                    .rows_affected();
                Ok(taken == 1)
            }

            async fn record_failed_try(&self, email: &Email) -> Result<u32, StoreError> {
                let left: Option<i32> = sqlx::query_scalar(
                    "UPDATE otp_codes SET attempts_left = attempts_left - 1 \
                     WHERE email = $1 AND attempts_left > 0 RETURNING attempts_left",
                )
                .bind(email.as_str())
                .fetch_optional(&self.writer)
                .await?;
                let left = left.unwrap_or(0);
                if left <= 0 {
                    sqlx::query("DELETE FROM otp_codes WHERE email = $1 AND attempts_left <= 0")
                        .bind(email.as_str())
                        .execute(&self.writer)
                        .await?;
                }
                Ok(u32::try_from(left).unwrap_or(0))
            }
        }
    };
}

pub(crate) use otp_store;
