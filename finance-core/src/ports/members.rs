use async_trait::async_trait;
use time::OffsetDateTime;

use super::IdempotencyKey;
use super::error::StoreError;
use crate::domain::{AccountId, Email, Invitation, InvitationId, Member, Role, UserId};

/// Who may use an account, and who was asked to. Each change (with its history entry) is
/// one transaction that
/// reads the acting user's role in it and asks [`crate::domain::member_change`] (the one
/// decision) before writing: a non-member is `NotFound`, a role that does not allow it
/// `Forbidden`, and a change nobody may make `Refused`.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait MemberRepository: Send + Sync {
    /// Stores the invitation from `invitation.invited_by`. `Refused(AlreadyMember)` if the
    /// email is a member's or has a pending invitation that has not expired at `now` (an
    /// expired one is replaced). Answers the invitation as a member of status `invited`.
    /// With `idempotency`, a retry of the same request answers the first invitation
    /// (`true` second) and writes nothing; the key with another request is
    /// `Refused(IdempotencyKeyReused)`.
    async fn invite(
        &self,
        invitation: &Invitation,
        now: OffsetDateTime,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(Member, bool), StoreError>;

    /// Forgets an invitation, and the idempotency key that made it (its mail could not be
    /// sent).
    async fn withdraw(&self, id: InvitationId) -> Result<(), StoreError>;

    /// The account's members, owner first, and its invitations pending at `now`, if
    /// `user` is a member.
    async fn members(
        &self,
        user: UserId,
        account: AccountId,
        now: OffsetDateTime,
    ) -> Result<Vec<Member>, StoreError>;

    /// The invitations to `email` pending at `now`.
    async fn invitations(
        &self,
        email: &Email,
        now: OffsetDateTime,
    ) -> Result<Vec<Invitation>, StoreError>;

    /// Accepts (the user joins with the invitation's role) or declines an invitation to
    /// `email` pending at `now`; `NotFound` for any other. Answers its account.
    async fn answer_invitation(
        &self,
        user: UserId,
        email: &Email,
        id: InvitationId,
        accept: bool,
        now: OffsetDateTime,
    ) -> Result<AccountId, StoreError>;

    /// Gives `member` another role, as `by`; `Owner` hands the account over (the owner
    /// becomes an editor). Answers the member as changed.
    async fn set_role(
        &self,
        by: UserId,
        account: AccountId,
        member: UserId,
        role: Role,
        at: OffsetDateTime,
    ) -> Result<Member, StoreError>;

    /// Removes `member` (themself: leaves), as `by`, with the schedules they made on the
    /// account (they book for their maker, who may no longer write there).
    async fn remove_member(
        &self,
        by: UserId,
        account: AccountId,
        member: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Whether an account `user` owns has other members (they may not leave for good).
    async fn owns_shared(&self, user: UserId) -> Result<bool, StoreError>;
}
