//! The ids of the records: UUIDs, each its own type so one is never passed for another.

use uuid::Uuid;

use super::error::ValidationError;

/// Parses the hyphenated UUID form, the one ids are written in; `field` names the input in
/// the error.
pub(crate) fn parse_uuid(field: &str, raw: &str) -> Result<Uuid, ValidationError> {
    Some(raw)
        .filter(|r| r.len() == 36)
        .and_then(|r| Uuid::parse_str(r).ok())
        .ok_or_else(|| ValidationError::new(field, "must be a UUID"))
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random (v4) id, from the thread's CSPRNG (`Uuid::new_v4` asks the
            /// kernel each time: a syscall per row was a sixth of a big import's parse).
            pub fn random() -> Self {
                use rand::RngExt;
                Self(uuid::Builder::from_random_bytes(rand::rng().random()).into_uuid())
            }

            /// Parses the hyphenated UUID form, the one ids are written in (and the API's
            /// document states); `field` names the input in the error.
            pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
                parse_uuid(field, raw).map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        /// The textual UUID form, as in a URL path (where anything else names nothing).
        impl std::str::FromStr for $name {
            type Err = uuid::Error;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(raw).map(Self)
            }
        }
    };
}

id_type!(
    /// Identifies a user.
    UserId
);
id_type!(
    /// Identifies an account.
    AccountId
);
id_type!(
    /// Identifies a movement.
    MovementId
);
id_type!(
    /// Identifies a transfer: the two movements that move money between accounts.
    TransferId
);
id_type!(
    /// Identifies a schedule of recurring movements.
    ScheduleId
);
id_type!(
    /// Identifies an invitation to join an account.
    InvitationId
);
id_type!(
    /// Identifies a rule that categorises movements as they are recorded.
    RuleId
);
id_type!(
    /// Identifies a reconciliation of an account with a bank statement.
    ReconciliationId
);
