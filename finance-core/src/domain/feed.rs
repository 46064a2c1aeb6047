//! The change feed: which record changed and who may see it, recorded with every write,
//! and the position a client keeps to read on from where it stopped.

use time::OffsetDateTime;

use super::entities::{AccountId, UserId};
use super::error::ValidationError;
use super::history::{Change, HistoryAction, HistoryEntity};

/// The kinds of record the feed carries.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FeedEntity {
    Account,
    Movement,
    Transfer,
    Schedule,
    Budget,
    Rate,
    Rule,
    Member,
}

impl FeedEntity {
    pub const ALL: [Self; 8] = [
        Self::Account,
        Self::Movement,
        Self::Transfer,
        Self::Schedule,
        Self::Budget,
        Self::Rate,
        Self::Rule,
        Self::Member,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Movement => "movement",
            Self::Transfer => "transfer",
            Self::Schedule => "schedule",
            Self::Budget => "budget",
            Self::Rate => "rate",
            Self::Rule => "rule",
            Self::Member => "member",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// What became of the record: it is now as `data` says, or it is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FeedAction {
    Upserted,
    Deleted,
}

impl FeedAction {
    pub fn name(self) -> &'static str {
        match self {
            Self::Upserted => "upserted",
            Self::Deleted => "deleted",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Upserted, Self::Deleted]
            .into_iter()
            .find(|a| a.name() == name)
    }
}

/// One row of the feed to write in a change's transaction: the record, and who sees it
/// (an account's members, or one user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fed {
    /// Seen by the account's members (from when they joined).
    pub account_id: Option<AccountId>,
    /// Seen by this user alone.
    pub user_id: Option<UserId>,
    pub at: OffsetDateTime,
    pub entity: FeedEntity,
    /// The record's id: a UUID, a budget's category, a rate's `BASE/QUOTE/DATE`.
    pub entity_id: String,
    pub action: FeedAction,
}

impl Fed {
    /// The feed's rows of a change in an account's history: its record's, and for a
    /// transfer also its leg on that account (a movement, gone with the transfer). An
    /// import has none of its own (its movements are fed one by one); a reconciliation
    /// changes the account.
    pub fn of_change(c: &Change) -> Vec<Self> {
        let Some(own) = Self::record_of(c) else {
            return Vec::new();
        };
        let leg = (c.entity == HistoryEntity::Transfer)
            .then(|| leg_on(c))
            .flatten()
            .map(|id| Self {
                entity: FeedEntity::Movement,
                entity_id: id,
                ..own.clone()
            });
        std::iter::once(own).chain(leg).collect()
    }

    fn record_of(c: &Change) -> Option<Self> {
        let (entity, entity_id) = match c.entity {
            HistoryEntity::Account => (FeedEntity::Account, c.entity_id.to_string()),
            HistoryEntity::Movement => (FeedEntity::Movement, c.entity_id.to_string()),
            HistoryEntity::Transfer => (FeedEntity::Transfer, c.entity_id.to_string()),
            HistoryEntity::Member => (FeedEntity::Member, c.entity_id.to_string()),
            HistoryEntity::Schedule => (FeedEntity::Schedule, c.entity_id.to_string()),
            HistoryEntity::Reconciliation => (FeedEntity::Account, c.account_id.to_string()),
            HistoryEntity::Import => return None,
        };
        let action = match (c.entity, c.action) {
            (HistoryEntity::Reconciliation, _) => FeedAction::Upserted,
            (_, HistoryAction::Deleted) => FeedAction::Deleted,
            _ => FeedAction::Upserted,
        };
        Some(Self {
            account_id: Some(c.account_id),
            user_id: None,
            at: c.at,
            entity,
            entity_id,
            action,
        })
    }

    /// A change that `user` alone sees: one of their budgets, rates or rules, or an
    /// account gone for them (deleted, or they left it).
    pub fn for_user(
        user: UserId,
        at: OffsetDateTime,
        entity: FeedEntity,
        entity_id: impl Into<String>,
        action: FeedAction,
    ) -> Self {
        Self {
            account_id: None,
            user_id: Some(user),
            at,
            entity,
            entity_id: entity_id.into(),
            action,
        }
    }

    /// A movement made by an import, fed like any new movement.
    pub fn new_movement(account: AccountId, at: OffsetDateTime, id: uuid::Uuid) -> Self {
        Self {
            account_id: Some(account),
            user_id: None,
            at,
            entity: FeedEntity::Movement,
            entity_id: id.to_string(),
            action: FeedAction::Upserted,
        }
    }
}

/// The id of a transfer's leg on the change's account, read from the transfer as the API
/// writes it (after the change, or before it when it was deleted).
fn leg_on(c: &Change) -> Option<String> {
    let text = c.after.as_deref().or(c.before.as_deref())?;
    let transfer: serde_json::Value = serde_json::from_str(text).ok()?;
    let account = c.account_id.to_string();
    ["from", "to"]
        .into_iter()
        .map(|side| &transfer[side])
        .find(|leg| leg["account_id"].as_str() == Some(account.as_str()))
        .and_then(|leg| leg["id"].as_str())
        .map(str::to_string)
}

/// A place in the feed: after the change written as `seq` by the transaction `xid`
/// (always 0 on SQLite, whose single writer commits in seq order). Written `xid.seq`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedPosition {
    pub xid: u64,
    pub seq: i64,
}

impl FeedPosition {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.xid, self.seq)
    }

    pub fn decode(raw: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::new("since", "not a cursor this feed handed out");
        let (xid, seq) = raw.trim().split_once('.').ok_or_else(bad)?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(xid) || !all_digits(seq) {
            return Err(bad());
        }
        Ok(Self {
            xid: xid.parse().map_err(|_| bad())?,
            seq: seq.parse().map_err(|_| bad())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_and_refuse_anything_else() {
        let p = FeedPosition {
            xid: 7_000_123,
            seq: 42,
        };
        assert_eq!(FeedPosition::decode(&p.encode()), Ok(p));
        for bad in [
            "",
            "1",
            "1.",
            ".1",
            "-1.2",
            "1.-2",
            "a.b",
            "1.2.3",
            "99999999999999999999.1",
        ] {
            assert!(FeedPosition::decode(bad).is_err(), "{bad}");
        }
        assert!(FeedPosition { xid: 1, seq: 9 } < FeedPosition { xid: 2, seq: 1 });
    }

    #[test]
    fn history_changes_feed_their_record_or_the_account() {
        let account = AccountId::random();
        let at = OffsetDateTime::UNIX_EPOCH;
        let change = |entity, action| Change {
            account_id: account,
            at,
            by: UserId::random(),
            action,
            entity,
            entity_id: uuid::Uuid::from_u128(5),
            before: None,
            after: None,
        };
        let one = |entity, action| {
            let mut rows = Fed::of_change(&change(entity, action));
            assert_eq!(rows.len(), 1, "{rows:?}");
            rows.remove(0)
        };
        let fed = one(HistoryEntity::Movement, HistoryAction::Deleted);
        assert_eq!(
            (fed.entity, fed.action),
            (FeedEntity::Movement, FeedAction::Deleted)
        );
        assert_eq!(fed.account_id, Some(account));
        let fed = one(HistoryEntity::Reconciliation, HistoryAction::Deleted);
        assert_eq!(
            (fed.entity, fed.action),
            (FeedEntity::Account, FeedAction::Upserted)
        );
        assert_eq!(fed.entity_id, account.to_string());
        assert!(Fed::of_change(&change(HistoryEntity::Import, HistoryAction::Created)).is_empty());
        // A transfer feeds its leg on this account with it, also when it is deleted.
        let leg = uuid::Uuid::from_u128(9);
        let transfer = serde_json::json!({
            "id": uuid::Uuid::from_u128(5),
            "from": {"id": uuid::Uuid::from_u128(8), "account_id": AccountId::random()},
            "to": {"id": leg, "account_id": account},
        })
        .to_string();
        let deleted = Change {
            before: Some(transfer),
            ..change(HistoryEntity::Transfer, HistoryAction::Deleted)
        };
        let rows: Vec<_> = Fed::of_change(&deleted)
            .into_iter()
            .map(|r| (r.entity, r.entity_id, r.action))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    FeedEntity::Transfer,
                    uuid::Uuid::from_u128(5).to_string(),
                    FeedAction::Deleted
                ),
                (FeedEntity::Movement, leg.to_string(), FeedAction::Deleted),
            ]
        );
    }
}
