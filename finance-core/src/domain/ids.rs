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

/// A fresh version 7 UUID (see the ids' `random`).
pub(crate) fn time_ordered() -> Uuid {
    use rand::RngExt;
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let bytes: [u8; 10] = rand::rng().random();
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
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
            /// A fresh id: the time in milliseconds, then 74 random bits from the
            /// thread's CSPRNG (a version 7 UUID). Ids made one after another sort near
            /// each other, so the indexes on them (a movement's id, a history entry's
            /// record) take new keys at their end instead of on a random page each: the
            /// SQLite write of a movement and its history entry dirtied a random index
            /// page per row with random ids. (`Uuid::new_v4` asked the kernel each time:
            /// a syscall per row was a sixth of a big import's parse.)
            pub fn random() -> Self {
                Self(time_ordered())
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
id_type!(
    /// Identifies a webhook: an endpoint of a user's that is told of changes.
    WebhookId
);
id_type!(
    /// Identifies an event sent to webhooks: the same on every attempt to deliver it.
    EventId
);
