//! Sharing an account: who may do what to it (the one decision every use case and the
//! store's write transactions ask), its members and the invitations to join it.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::currency::Currency;
use super::email::Email;
use super::entities::{AccountId, InvitationId, Role, UserId, UserRef};
use super::error::ValidationError;
use super::refusal::Refusal;

/// How long an invitation may be accepted.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// What a request does to an account, as far as roles go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read it, its movements, members, schedules, transfers.
    Read,
    /// Add, change or delete its movements, transfers, schedules and imports.
    Write,
    /// Rename, archive or delete it, change its members.
    Manage,
}

/// Why an action is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Not a member: the account is not there for them (404).
    Hidden,
    /// A member whose role does not allow it (403).
    Forbidden,
    /// Allowed to nobody in this state (409): the owner leaving without handing over.
    Refused(Refusal),
}

impl Role {
    /// Whether this role allows `action`.
    pub fn may(self, action: Action) -> bool {
        match (self, action) {
            (_, Action::Read) | (Role::Owner, _) => true,
            (Role::Editor, Action::Write) => true,
            (Role::Editor | Role::Viewer, _) => false,
        }
    }

    /// Its stored and written name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// The role a stored name names.
    pub fn from_name(name: &str) -> Option<Self> {
        [Role::Owner, Role::Editor, Role::Viewer]
            .into_iter()
            .find(|r| r.as_str() == name)
    }
}

/// The one access decision: may a user with `role` on an account (`None`: not a member) do
/// `action` to it.
pub fn access(role: Option<Role>, action: Action) -> Result<Role, Denied> {
    match role {
        None => Err(Denied::Hidden),
        Some(role) if role.may(action) => Ok(role),
        Some(_) => Err(Denied::Forbidden),
    }
}

/// A change to an account's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Ask someone to join.
    Invite,
    /// Give a member another role (`Owner` hands the account over).
    SetRole(Role),
    /// Remove a member (themself: leave).
    Remove,
}

/// Whether a member with role `actor` may make `change` to the member `target` (the
/// actor themself when `oneself`). Anyone may leave but the owner, who hands over first;
/// everything else is the owner's.
pub fn member_change(actor: Role, oneself: bool, change: MemberChange) -> Result<(), Denied> {
    match change {
        MemberChange::Remove if oneself && actor == Role::Owner => {
            Err(Denied::Refused(Refusal::OwnerMustHandOver))
        }
        MemberChange::Remove if oneself => Ok(()),
        MemberChange::SetRole(role) if oneself && actor == Role::Owner && role != Role::Owner => {
            Err(Denied::Refused(Refusal::OwnerMustHandOver))
        }
        _ => access(Some(actor), Action::Manage).map(|_| ()),
    }
}

/// Whether a membership is in use or only offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MemberStatus {
    Active,
    Invited,
}

/// A member of an account, or someone invited to be one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    /// `null` for an invited email that has no user yet.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub user_id: Option<UserId>,
    pub email: Email,
    pub role: Role,
    pub status: MemberStatus,
    /// When an invitation stops being valid; only on invitations.
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<OffsetDateTime>,
}

/// An account's members (the owner first, then by email) and pending invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberList {
    pub items: Vec<Member>,
}

/// An account as an invitation names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: AccountId,
    pub name: String,
    pub currency: Currency,
}

/// An invitation to join an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: InvitationId,
    pub account: AccountSummary,
    /// Who is invited.
    pub email: Email,
    pub role: Role,
    pub invited_by: UserRef,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The pending invitations of the signed-in user, soonest to expire first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationList {
    pub items: Vec<Invitation>,
}

/// The body of `POST /accounts/{id}/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::email))]
    pub email: String,
    /// `editor` or `viewer`; ownership is handed over to a member, not invited.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::invited_role))]
    pub role: Role,
}

impl MemberInput {
    /// The invited email and role, checked.
    pub fn parse(&self) -> Result<(Email, Role), ValidationError> {
        let email = Email::parse(&self.email)?;
        if self.role == Role::Owner {
            return Err(ValidationError::new(
                "role",
                "must be editor or viewer; hand ownership over to a member instead",
            ));
        }
        Ok((email, self.role))
    }
}

/// The body of `PATCH /accounts/{id}/members/{user_id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleInput {
    /// `owner` hands the account over (its owner becomes an editor).
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [Role; 3] = [Role::Owner, Role::Editor, Role::Viewer];

    #[test]
    fn owners_do_everything_editors_write_viewers_read() {
        let allowed = |r: Role| {
            [Action::Read, Action::Write, Action::Manage]
                .map(|a| r.may(a))
                .to_vec()
        };
        assert_eq!(allowed(Role::Owner), [true, true, true]);
        assert_eq!(allowed(Role::Editor), [true, true, false]);
        assert_eq!(allowed(Role::Viewer), [true, false, false]);
        assert_eq!(access(None, Action::Read), Err(Denied::Hidden));
        assert_eq!(
            access(Some(Role::Viewer), Action::Write),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn anyone_but_the_owner_may_leave_and_only_the_owner_changes_others() {
        for actor in ROLES {
            let leave = member_change(actor, true, MemberChange::Remove);
            assert_eq!(leave.is_ok(), actor != Role::Owner, "{actor:?} leaving");
            let remove = member_change(actor, false, MemberChange::Remove);
            assert_eq!(remove.is_ok(), actor == Role::Owner, "{actor:?} removing");
            for role in ROLES {
                let set = member_change(actor, false, MemberChange::SetRole(role));
                assert_eq!(set.is_ok(), actor == Role::Owner);
            }
        }
        assert_eq!(
            member_change(Role::Owner, true, MemberChange::SetRole(Role::Editor)),
            Err(Denied::Refused(Refusal::OwnerMustHandOver))
        );
        assert_eq!(
            member_change(Role::Editor, false, MemberChange::Invite),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn roles_read_back_from_their_names() {
        for r in ROLES {
            assert_eq!(Role::from_name(r.as_str()), Some(r));
        }
        assert_eq!(Role::from_name("admin"), None);
    }

    #[test]
    fn an_invitation_is_for_an_editor_or_a_viewer() {
        let input = |role| MemberInput {
            email: " Bo@Example.com".into(),
            role,
        };
        let (email, role) = input(Role::Viewer).parse().expect("valid");
        assert_eq!((email.as_str(), role), ("bo@example.com", Role::Viewer));
        assert!(input(Role::Owner).parse().is_err());
    }
}
