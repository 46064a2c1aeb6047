//! The history of an account: one entry per change to its records, written in the
//! change's transaction, never changed afterwards.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::entities::{AccountId, UserId, UserRef};
use super::error::{ValidationError, Validator};
use super::page::parse_limit;

/// What a change did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryAction {
    Created,
    Updated,
    Deleted,
}

/// The kind of record a change was to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryEntity {
    Account,
    Movement,
    Transfer,
    Member,
    Schedule,
    Reconciliation,
    Import,
}

impl HistoryAction {
    pub fn name(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Created, Self::Updated, Self::Deleted]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

impl HistoryEntity {
    const ALL: [Self; 7] = [
        Self::Account,
        Self::Movement,
        Self::Transfer,
        Self::Member,
        Self::Schedule,
        Self::Reconciliation,
        Self::Import,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Movement => "movement",
            Self::Transfer => "transfer",
            Self::Member => "member",
            Self::Schedule => "schedule",
            Self::Reconciliation => "reconciliation",
            Self::Import => "import",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// A change to record: on which account, when, by whom, and the record as the API writes
/// it before and after (`None` where it did not exist), as JSON text: made where the
/// change is decided, so a writer that serialises many (SQLite's group commit) only
/// stores them.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub account_id: AccountId,
    pub at: OffsetDateTime,
    pub by: UserId,
    pub action: HistoryAction,
    pub entity: HistoryEntity,
    pub entity_id: Uuid,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    /// A change of `entity` from `before` to `after`: created without a before, deleted
    /// without an after, else updated.
    pub fn of<T: Serialize>(
        account_id: AccountId,
        at: OffsetDateTime,
        by: UserId,
        entity: HistoryEntity,
        entity_id: Uuid,
        before: Option<&T>,
        after: Option<&T>,
    ) -> Self {
        let action = match (before, after) {
            (None, _) => HistoryAction::Created,
            (Some(_), None) => HistoryAction::Deleted,
            (Some(_), Some(_)) => HistoryAction::Updated,
        };
        // A record the API writes always serialises; `null` would only hide a bug.
        let shape = |r: &T| serde_json::to_string(r).unwrap_or_else(|_| "null".into());
        Self {
            account_id,
            at,
            by,
            action,
            entity,
            entity_id,
            before: before.map(shape),
            after: after.map(shape),
        }
    }
}

impl Change {
    /// A movement recorded by `by`, at its creation.
    pub fn created(by: UserId, m: &super::Movement) -> Self {
        Self::of(
            m.account_id,
            m.created_at,
            by,
            HistoryEntity::Movement,
            m.id.0,
            None,
            Some(m),
        )
    }

    /// A movement changed (`after: Some`) or deleted (`None`) by `by`, at `at`.
    pub fn movement(
        by: UserId,
        at: OffsetDateTime,
        before: &super::Movement,
        after: Option<&super::Movement>,
    ) -> Self {
        let entity = HistoryEntity::Movement;
        Self::of(
            before.account_id,
            at,
            by,
            entity,
            before.id.0,
            Some(before),
            after,
        )
    }
}

/// One change as the history answers it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who made the change (`email` null once they have left for good).
    pub by: UserRef,
    pub action: HistoryAction,
    pub entity: HistoryEntity,
    pub entity_id: Uuid,
    /// The record as the API wrote it before the change; null for a creation.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, required = true))]
    pub before: Option<Value>,
    /// The record as the API writes it after the change; null for a deletion.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, required = true))]
    pub after: Option<Value>,
}

/// A page of history, newest first.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    pub items: Vec<HistoryEntry>,
    /// Pass as `cursor` for the next page; null on the last.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, required = true))]
    pub next_cursor: Option<String>,
}

/// The query of `GET /accounts/{id}/history`, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct HistoryQueryInput {
    /// Only the changes of this record (a movement, a transfer, a member's user id…).
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::uuid))]
    pub entity_id: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::limit))]
    pub limit: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::history_cursor))]
    pub cursor: Option<String>,
}

/// A validated history query: at most `limit` entries older than `before` (a position in
/// the history's order, which only grows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryQuery {
    pub entity_id: Option<Uuid>,
    pub limit: u16,
    pub before: Option<i64>,
}

impl HistoryQuery {
    pub fn parse(input: &HistoryQueryInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let entity_id = input
            .entity_id
            .as_deref()
            .and_then(|raw| v.check(super::ids::parse_uuid("entity_id", raw.trim())));
        let limit = v.check(parse_limit(input.limit.as_deref()));
        let before = input.cursor.as_deref().and_then(|raw| {
            v.check(
                Some(raw.trim())
                    .filter(|r| {
                        (1..=18).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_digit())
                    })
                    .and_then(|r| r.parse::<i64>().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        ValidationError::new("cursor", "is not a next_cursor this API gave")
                    }),
            )
        });
        // A field that failed is not read here: `finish` answers its error.
        v.finish(|| {
            Some(Self {
                entity_id,
                limit: limit?,
                before,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for a in [
            HistoryAction::Created,
            HistoryAction::Updated,
            HistoryAction::Deleted,
        ] {
            assert_eq!(HistoryAction::from_name(a.name()), Some(a));
        }
        for e in HistoryEntity::ALL {
            assert_eq!(HistoryEntity::from_name(e.name()), Some(e));
            let json = serde_json::to_value(e).expect("json");
            assert_eq!(json, Value::from(e.name()));
        }
        assert_eq!(HistoryEntity::from_name("rate"), None);
    }

    #[test]
    fn a_change_is_named_by_what_it_had() {
        let at = OffsetDateTime::UNIX_EPOCH;
        let (a, u) = (AccountId(Uuid::nil()), UserId(Uuid::nil()));
        let e = HistoryEntity::Import;
        let made = Change::of(a, at, u, e, Uuid::nil(), None, Some(&1));
        let changed = Change::of(a, at, u, e, Uuid::nil(), Some(&1), Some(&2));
        let gone = Change::of::<i32>(a, at, u, e, Uuid::nil(), Some(&2), None);
        assert_eq!(made.action, HistoryAction::Created);
        assert_eq!(changed.action, HistoryAction::Updated);
        assert_eq!((gone.action, gone.after), (HistoryAction::Deleted, None));
    }

    #[test]
    fn queries_take_an_id_a_limit_and_a_cursor() {
        let q = |id: Option<&str>, cursor: Option<&str>| {
            HistoryQuery::parse(&HistoryQueryInput {
                entity_id: id.map(Into::into),
                limit: None,
                cursor: cursor.map(Into::into),
            })
        };
        let ok = q(Some("5d9c1e0a-8f3b-4c2e-9a7d-1b2c3d4e5f60"), Some("42")).expect("valid");
        assert_eq!((ok.before, ok.limit), (Some(42), 50));
        assert!(ok.entity_id.is_some());
        for bad in ["0", "-1", "x", "1234567890123456789"] {
            assert!(q(None, Some(bad)).is_err(), "{bad}");
        }
        assert!(q(Some("nope"), None).is_err());
    }
}
