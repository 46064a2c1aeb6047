/// Why a store (database, OTP store) could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or belongs to someone else: callers must not tell apart.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit; the text names what already exists.
    #[error("{0} already exists")]
    Duplicate(&'static str),
    /// The new balance would not fit in the supported range; nothing was written.
    #[error("the balance would overflow")]
    BalanceOverflow,
    /// The idempotency key was first used with a different request.
    #[error("the idempotency key was used with a different request")]
    IdempotencyMismatch,
    /// The backing service cannot be reached now; trying again later may work.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else that went wrong in the backend; logged, never shown to users.
    #[error("storage failure: {0}")]
    Backend(String),
}
