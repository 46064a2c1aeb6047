use async_trait::async_trait;
use time::{Duration, OffsetDateTime};

use super::error::StoreError;
use crate::domain::{Email, UserId};

/// A one-time code as the store keeps it: never the code itself, only a keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOtp {
    pub hash: String,
    pub expires_at: OffsetDateTime,
    pub attempts_left: u32,
}

/// Outcome of asking to send another code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendPermit {
    Granted,
    /// Too many sends in the window; the next is allowed after this long.
    RetryAfter(Duration),
}

/// Keeps pending one-time codes and counts sends per email.
///
/// Each method is atomic on its own; the rules (expiry, tries, limits) live in the use
/// cases, so every adapter enforces them the same way.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait OtpStore: Send + Sync {
    /// Counts one send for `email` in the window that started at most `window` ago, and
    /// grants it if fewer than `max` sends were counted before.
    async fn permit_send(
        &self,
        email: &Email,
        max: u32,
        window: Duration,
        now: OffsetDateTime,
    ) -> Result<SendPermit, StoreError>;

    /// Stores the pending code for `email`, replacing any earlier one.
    async fn save_otp(&self, email: &Email, otp: &StoredOtp) -> Result<(), StoreError>;

    async fn find_otp(&self, email: &Email) -> Result<Option<StoredOtp>, StoreError>;

    /// Removes the pending code if its hash is still `hash`; true only for the one caller
    /// that removed it, so a code is redeemed at most once even under racing requests.
    async fn take_otp(&self, email: &Email, hash: &str) -> Result<bool, StoreError>;

    /// Counts a wrong try; at zero tries left the code is removed. Returns the tries left.
    async fn record_failed_try(&self, email: &Email) -> Result<u32, StoreError>;
}

/// A message to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub body: String,
}

/// Why mail could not be handed over.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MailError {
    /// Trying again later may work (refused connection, timeout, a 4xx answer).
    #[error("mail service unavailable")]
    Unavailable(#[source] super::Cause),
    /// It will not work as it is (a 5xx answer, a message that cannot be built).
    #[error("mail rejected")]
    Rejected(#[source] super::Cause),
}

/// Delivers mail (SMTP, or the outbox folder in development).
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;

    /// Removes kept copies of sent mail that are old at `now`; how many. Only a mailer
    /// that keeps copies (the outbox) has anything to remove.
    async fn purge_sent(&self, _now: OffsetDateTime) -> Result<u64, MailError> {
        Ok(0)
    }

    /// Removes kept copies of mail sent to `to` (a user who left); how many.
    async fn forget(&self, _to: &Email) -> Result<u64, MailError> {
        Ok(0)
    }
}

/// A signed bearer token and when it stops being accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: OffsetDateTime,
}

/// Why a token was refused; each case is distinct for logs and tests, but all are 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token is malformed")]
    Malformed,
    #[error("token was signed by an unknown key")]
    UnknownKey,
    #[error("token signature is invalid")]
    BadSignature,
    #[error("token has expired")]
    Expired,
    #[error("token has the wrong issuer")]
    WrongIssuer,
    #[error("token has the wrong audience")]
    WrongAudience,
    #[error("token claims are invalid: {0}")]
    InvalidClaims(String),
    #[error("token could not be signed: {0}")]
    Signing(String),
    /// The token was signed out.
    #[error("token was signed out")]
    Revoked,
    /// A server refused the token (a remote client cannot see why).
    #[error("the server refused the token")]
    Refused,
}

/// Issues and checks bearer tokens.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
pub trait TokenService: Send + Sync {
    fn issue(&self, user: UserId, now: OffsetDateTime) -> Result<IssuedToken, TokenError>;

    /// Checks the signature and claims; who the token is for and which token it is.
    fn verify(&self, token: &str, now: OffsetDateTime) -> Result<super::TokenIdentity, TokenError>;
}

/// The current time, replaceable in tests.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The system clock, in UTC, to the microsecond.
///
/// Microseconds are what Postgres keeps: a time read back from any store then equals the
/// time first answered, so an idempotent replay returns exactly the first answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        let micros = now.nanosecond() / 1_000 * 1_000;
        now.replace_nanosecond(micros).unwrap_or(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_has_microsecond_precision() {
        for _ in 0..100 {
            assert_eq!(SystemClock.now().nanosecond() % 1_000, 0);
        }
    }
}
