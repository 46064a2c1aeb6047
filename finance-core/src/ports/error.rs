use std::sync::Arc;

/// What went wrong underneath, kept whole: the error itself with its own chain of sources,
/// so the edge that logs it can print every link, not a string flattened on the way.
/// Shared (`Arc`) so that an error can be cloned where a value must be (mocks, channels).
#[derive(Debug, Clone)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl Cause {
    /// Keeps `error` with its sources.
    pub fn of(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Arc::new(error))
    }

    /// `error` under a line saying what was being done: `context: error: …`.
    pub fn context(
        context: impl Into<String>,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(Context {
            context: context.into(),
            source: Box::new(error),
        }))
    }

    /// The whole chain on one line: `outer: inner: innermost`.
    pub fn chain(&self) -> String {
        chain(self.0.as_ref())
    }
}

/// An error and every cause under it on one line (`outer: inner: innermost`): what a log
/// line or a person at a terminal should see.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// What was being done when `source` happened.
#[derive(Debug)]
struct Context {
    context: String,
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.context)
    }
}

impl std::error::Error for Context {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A cause that is only a message (no error value underneath).
impl From<String> for Cause {
    fn from(message: String) -> Self {
        let boxed: Box<dyn std::error::Error + Send + Sync> = message.into();
        Self(Arc::from(boxed))
    }
}

impl From<&str> for Cause {
    fn from(message: &str) -> Self {
        Self::from(message.to_string())
    }
}

/// Why a store (database, OTP store) could not do what was asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or belongs to someone else: callers must not tell apart.
    #[error("not found")]
    NotFound,
    /// The user is a member of the account whose role does not allow this.
    #[error("the role does not allow this")]
    Forbidden,
    /// The new balance would not fit in the supported range; nothing was written.
    #[error("the balance would overflow")]
    BalanceOverflow,
    /// The record changed since it was read (a concurrent edit); nothing was written.
    #[error("the record changed meanwhile")]
    Stale,
    /// The record is in a state that forbids this change.
    #[error("{0}")]
    Refused(crate::domain::Refusal),
    /// The backing service cannot be reached now; trying again later may work.
    #[error("storage unavailable")]
    Unavailable(#[source] Cause),
    /// Anything else that went wrong in the backend; logged, never shown to users.
    #[error("storage failure")]
    Backend(#[source] Cause),
}

impl From<crate::domain::Denied> for StoreError {
    fn from(d: crate::domain::Denied) -> Self {
        match d {
            crate::domain::Denied::Hidden => StoreError::NotFound,
            crate::domain::Denied::Forbidden => StoreError::Forbidden,
            crate::domain::Denied::Refused(why) => StoreError::Refused(why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_keeps_every_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let store = StoreError::Unavailable(Cause::context("creating /data", io));
        let error = crate::Error::from(store);
        assert_eq!(
            error.chain(),
            "service unavailable: creating /data: permission denied"
        );
        let source = std::error::Error::source(&error).expect("a source");
        assert_eq!(source.to_string(), "creating /data");
        assert!(source.source().is_some(), "the io error is still there");
        assert_eq!(Cause::from("plain").chain(), "plain");
    }
}
