//! The rows of members and invitations as the store reads them, and the helpers of its
//! member changes.

use time::OffsetDateTime;
use uuid::Uuid;

use super::SqlStore;
use super::accounts::role;
use super::engine::{Engine, Run, V};
use crate::domain::{
    AccountId, AccountSummary, Change, Currency, Email, HistoryEntity, Invitation, InvitationId,
    Member, MemberStatus, Role, UserId, UserRef,
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

/// A member's change: named by their user id, or for an email with no user yet by the
/// invitation's id.
pub(crate) fn member_change_of(
    account: AccountId,
    by: UserId,
    at: OffsetDateTime,
    invitation: InvitationId,
    before: Option<&Member>,
    after: Option<&Member>,
) -> Change {
    let id = after
        .or(before)
        .and_then(|m| m.user_id)
        .map_or(invitation.0, |u| u.0);
    Change::of(account, at, by, HistoryEntity::Member, id, before, after)
}

impl<E: Engine> SqlStore<E> {
    /// Locks the account (and the actor's membership) for a change of its members and
    /// reads the actor's role; `NotFound` if they are not a member.
    pub(crate) async fn lock_member(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        actor: UserId,
        account: AccountId,
    ) -> Result<Role, StoreError> {
        let row = sqlx::query::<E::Db>(E::LOCK_BALANCE)
            .bind(V(&account.0))
            .bind(V(&actor.0))
            .optional::<RoleRow>(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        role(&row.role)
    }

    pub(crate) async fn put_role(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        account: AccountId,
        user: UserId,
        role: Role,
    ) -> Result<(), StoreError> {
        sqlx::query::<E::Db>(
            "UPDATE account_members SET role = $3 WHERE account_id = $1 AND user_id = $2",
        )
        .bind(V(&account.0))
        .bind(V(&user.0))
        .bind(V(role.as_str()))
        .run(&mut *conn)
        .await?;
        Ok(())
    }
}
