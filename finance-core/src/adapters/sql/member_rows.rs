//! The rows of members and invitations as the store reads them.

use time::OffsetDateTime;
use uuid::Uuid;

use super::accounts::role;
use crate::domain::{
    AccountId, AccountSummary, Currency, Email, Invitation, InvitationId, Member, MemberStatus,
    UserId, UserRef,
};
use crate::ports::StoreError;

/// The actor's role, read by `LOCK_BALANCE` (which locks the account and the membership).
#[derive(sqlx::FromRow)]
pub struct RoleRow {
    pub(crate) role: String,
}

/// An invitation with its account and inviter.
#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    id: Uuid,
    pub(crate) account_id: Uuid,
    name: String,
    currency: String,
    email: String,
    role: String,
    invited_by: Uuid,
    inviter_email: Option<String>,
    pub(crate) expires_at: OffsetDateTime,
    pub(crate) status: String,
}

/// A member as listed: an active one, or an invitation (with its expiry).
#[derive(sqlx::FromRow)]
pub struct MemberRow {
    user_id: Option<Uuid>,
    email: String,
    role: String,
    pub(crate) expires_at: Option<OffsetDateTime>,
}

fn email(raw: &str) -> Result<Email, StoreError> {
    Email::parse(raw).map_err(|e| super::corrupt("email", e))
}

impl MemberRow {
    pub(crate) fn into_member(self) -> Result<Member, StoreError> {
        Ok(Member {
            user_id: self.user_id.map(UserId),
            email: email(&self.email)?,
            role: role(&self.role)?,
            status: if self.expires_at.is_some() {
                MemberStatus::Invited
            } else {
                MemberStatus::Active
            },
            expires_at: self.expires_at,
        })
    }
}

impl InvitationRow {
    pub(crate) fn into_invitation(self) -> Result<Invitation, StoreError> {
        Ok(Invitation {
            id: InvitationId(self.id),
            account: AccountSummary {
                id: AccountId(self.account_id),
                name: self.name,
                currency: Currency::parse(&self.currency)
                    .map_err(|e| super::corrupt("currency", e))?,
            },
            email: email(&self.email)?,
            role: role(&self.role)?,
            invited_by: UserRef {
                id: UserId(self.invited_by),
                email: self.inviter_email.and_then(|e| Email::parse(&e).ok()),
            },
            expires_at: self.expires_at,
        })
    }
}
