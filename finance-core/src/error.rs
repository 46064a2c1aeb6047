//! Why a use case failed, as every frontend sees it.

use time::Duration;

use crate::domain::{Refusal, ValidationError};
use crate::ports::{Cause, MailError, StoreError, TokenError};

/// Why a use case failed. Frontends map each case once (the API to an HTTP status); new
/// cases may come, so a match needs a `_` arm.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input broke these rules; nothing was written.
    #[error("invalid input: {0}")]
    Invalid(#[from] ValidationError),
    /// No such record for this user (it may exist for someone else; we do not say).
    #[error("not found")]
    NotFound,
    /// The user is a member of the account, and their role does not allow this.
    #[error("your role on this account does not allow this")]
    Forbidden,
    /// The request clashes with what exists (a taken name, a reused idempotency key, an
    /// archived account…): which rule, as a type.
    #[error("{0}")]
    Conflict(Refusal),
    /// A bank statement's closing balance differs from the ledger's balance that day:
    /// `difference` is the statement less the ledger, written in the account's currency
    /// (`"-0.50"`); nothing was written.
    #[error("the statement's balance differs from the ledger's by {difference}")]
    Unreconciled { difference: String },
    /// A change-feed cursor older than the feed keeps: read everything again.
    #[error("the cursor is older than the changes kept; read everything again")]
    CursorExpired,
    /// The one-time code is wrong, expired, used or dead; deliberately one case.
    /// The record is not in the state the request names (its `If-Match`), or changed
    /// while the request was being answered: read it again.
    #[error("the record has changed; read it again")]
    PreconditionFailed,
    #[error("the code is wrong, expired or already used")]
    InvalidCode,
    /// The bearer token was refused.
    #[error("invalid token: {0}")]
    InvalidToken(TokenError),
    /// Too many requests; the next is allowed after this long.
    #[error("too many requests, try again in {} seconds", .0.whole_seconds())]
    RateLimited(Duration),
    /// A backing service (database, Redis, SMTP) cannot be reached now.
    #[error("service unavailable")]
    Unavailable(#[source] Cause),
    /// A bug or a backend failure; logged in full, shown to users as a bare failure.
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl Error {
    /// This error and every cause under it, on one line (`service unavailable: …: …`):
    /// what a person at a terminal, or a log line, should see.
    pub fn chain(&self) -> String {
        crate::ports::chain(self)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::Forbidden => Error::Forbidden,
            StoreError::BalanceOverflow => Error::Invalid(ValidationError::new(
                "amount",
                "would take the balance out of the supported range",
            )),
            StoreError::Refused(why) => Error::Conflict(why),
            StoreError::Stale => Error::PreconditionFailed,
            StoreError::Unavailable(cause) => Error::Unavailable(cause),
            StoreError::Backend(cause) => Error::Internal(cause),
        }
    }
}

impl From<crate::domain::Denied> for Error {
    fn from(d: crate::domain::Denied) -> Self {
        StoreError::from(d).into()
    }
}

impl From<MailError> for Error {
    fn from(e: MailError) -> Self {
        match e {
            MailError::Unavailable(cause) => Error::Unavailable(cause),
            MailError::Rejected(cause) => Error::Internal(cause),
        }
    }
}

impl From<TokenError> for Error {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Signing(m) => Error::Internal(Cause::from(format!("signing a token: {m}"))),
            other => Error::InvalidToken(other),
        }
    }
}
