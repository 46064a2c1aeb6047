//! Members of accounts and invitations to join them. Every change locks the account row
//! (as a movement's write does, with the actor's membership) and asks the domain's
//! [`member_change`] with the role it read there, so changes of one account's members
//! are serialised with each other and with its writes.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use super::SqlStore;
use super::engine::{Engine, Run, V};
use super::member_rows::{InvitationRow, MemberRow, member_change_of};
use crate::domain::{
    AccountId, Email, Fed, FeedAction, FeedEntity, Invitation, InvitationId, Member, MemberChange,
    MemberStatus, Role, UserId, member_change,
};
use crate::ports::{IdempotencyKey, MemberRepository, StoreError};

const INVITATIONS: &str = "SELECT i.id, i.account_id, a.name, a.currency, i.email, i.role, \
     i.invited_by, u.email AS inviter_email, i.expires_at, i.status \
     FROM invitations i JOIN accounts a ON a.id = i.account_id \
     LEFT JOIN users u ON u.id = i.invited_by";

/// Invitations read as members (their user, when the email has one).
const INVITED: &str = "SELECT u.id AS user_id, i.email, i.role, i.expires_at \
     FROM invitations i LEFT JOIN users u ON u.email = i.email";

const ACTIVE: &str = "SELECT m.user_id, u.email, m.role, CAST(NULL AS TIMESTAMPTZ) AS expires_at \
     FROM account_members m JOIN users u ON u.id = m.user_id WHERE m.account_id = $1";

#[async_trait]
impl<E: Engine> MemberRepository for SqlStore<E> {
    async fn invite(
        &self,
        inv: &Invitation,
        now: OffsetDateTime,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(Member, bool), StoreError> {
        let account = inv.account.id;
        let by = inv.invited_by.id;
        let mut tx = self.begin_write().await?;
        let actor = Self::lock_member(&mut tx, by, account).await?;
        member_change(actor, false, MemberChange::Invite)?;
        if let Some(key) = &idempotency
            && !Self::record_key(&mut tx, by, key, inv.id.0, now).await?
        {
            let first = Self::recorded_for(&mut tx, by, key).await?;
            let sql = format!("{INVITED} WHERE i.id = $1");
            let member = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
                .bind(V(&first))
                .optional::<MemberRow>(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?
                .into_member()?;
            return Ok((member, true));
        }
        let already = StoreError::Refused(crate::domain::Refusal::AlreadyMember);
        let (members,) = sqlx::query::<E::Db>(
            "SELECT count(*) FROM account_members m JOIN users u ON u.id = m.user_id \
             WHERE m.account_id = $1 AND u.email = $2",
        )
        .bind(V(&account.0))
        .bind(V(inv.email.as_str()))
        .one::<(i64,)>(&mut *tx)
        .await?;
        if members > 0 {
            return Err(already);
        }
        let pending = sqlx::query::<E::Db>(
            "SELECT expires_at FROM invitations \
             WHERE account_id = $1 AND email = $2 AND status = 'pending'",
        )
        .bind(V(&account.0))
        .bind(V(inv.email.as_str()))
        .optional::<(OffsetDateTime,)>(&mut *tx)
        .await?;
        match pending {
            Some((expires_at,)) if expires_at > now => return Err(already),
            Some(_) => {
                sqlx::query::<E::Db>(
                    "DELETE FROM invitations \
                     WHERE account_id = $1 AND email = $2 AND status = 'pending'",
                )
                .bind(V(&account.0))
                .bind(V(inv.email.as_str()))
                .run(&mut *tx)
                .await?;
            }
            None => {}
        }
        sqlx::query::<E::Db>(
            "INSERT INTO invitations \
             (id, account_id, email, role, invited_by, created_at, expires_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')",
        )
        .bind(V(&inv.id.0))
        .bind(V(&account.0))
        .bind(V(inv.email.as_str()))
        .bind(V(inv.role.as_str()))
        .bind(V(&inv.invited_by.id.0))
        .bind(V(&now))
        .bind(V(&inv.expires_at))
        .run(&mut *tx)
        .await
        .map_err(super::map_unique(crate::domain::Refusal::AlreadyMember))?;
        let user = sqlx::query::<E::Db>("SELECT id FROM users WHERE email = $1")
            .bind(V(inv.email.as_str()))
            .optional::<(Uuid,)>(&mut *tx)
            .await?;
        let member = Member {
            user_id: user.map(|(id,)| UserId(id)),
            email: inv.email.clone(),
            role: inv.role,
            status: MemberStatus::Invited,
            expires_at: Some(inv.expires_at),
        };
        let change = member_change_of(account, by, now, inv.id, None, Some(&member));
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok((member, false))
    }

    async fn withdraw(&self, id: InvitationId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for sql in [
            "DELETE FROM invitations WHERE id = $1",
            "DELETE FROM idempotency_keys WHERE movement_id = $1",
        ] {
            sqlx::query::<E::Db>(sql)
                .bind(V(&id.0))
                .run(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn members(
        &self,
        user: UserId,
        account: AccountId,
        now: OffsetDateTime,
    ) -> Result<Vec<Member>, StoreError> {
        // One statement, one snapshot: the asker is among the active rows iff a member.
        let sql = format!(
            "{ACTIVE} UNION ALL {INVITED} WHERE i.account_id = $1 AND i.status = 'pending'"
        );
        let rows = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&account.0))
            .all::<MemberRow>(&self.pool)
            .await?;
        let mut members = rows
            .into_iter()
            .filter(|r| r.expires_at.is_none_or(|at| at > now))
            .map(MemberRow::into_member)
            .collect::<Result<Vec<_>, _>>()?;
        if !members
            .iter()
            .any(|m| m.user_id == Some(user) && m.status == MemberStatus::Active)
        {
            return Err(StoreError::NotFound);
        }
        let rank = |m: &Member| (m.status != MemberStatus::Active, m.role != Role::Owner);
        members.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.email.cmp(&b.email)));
        Ok(members)
    }

    async fn invitations(
        &self,
        to: &Email,
        now: OffsetDateTime,
    ) -> Result<Vec<Invitation>, StoreError> {
        let sql = format!(
            "{INVITATIONS} WHERE i.email = $1 AND i.status = 'pending' \
             ORDER BY i.expires_at, i.id"
        );
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(to.as_str()))
            .all::<InvitationRow>(&self.pool)
            .await?
            .into_iter()
            .filter(|r| r.expires_at > now)
            .map(InvitationRow::into_invitation)
            .collect()
    }

    async fn answer_invitation(
        &self,
        user: UserId,
        to: &Email,
        id: InvitationId,
        accept: bool,
        now: OffsetDateTime,
    ) -> Result<AccountId, StoreError> {
        let mut tx = self.begin_write().await?;
        let sql = format!("{INVITATIONS} WHERE i.id = $1 AND i.email = $2");
        let answer = if accept { "accepted" } else { "declined" };
        let row = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&id.0))
            .bind(V(to.as_str()))
            .optional::<InvitationRow>(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        // The same answer again (a retry) is answered as the first; any other answer to
        // an invitation no longer pending, or past its time, finds nothing.
        if row.status == answer {
            return Ok(AccountId(row.account_id));
        }
        if row.status != "pending" || row.expires_at <= now {
            return Err(StoreError::NotFound);
        }
        let invitation = row.into_invitation()?;
        let account = invitation.account.id;
        let invited = Member {
            user_id: Some(user),
            email: to.clone(),
            role: invitation.role,
            status: MemberStatus::Invited,
            expires_at: Some(invitation.expires_at),
        };
        let joined = Member {
            status: MemberStatus::Active,
            expires_at: None,
            ..invited.clone()
        };
        let after = accept.then_some(&joined);
        let change = member_change_of(account, user, now, id, Some(&invited), after);
        Self::record(&mut tx, &[change]).await?;
        if accept {
            sqlx::query::<E::Db>(
                "INSERT INTO account_members (account_id, user_id, role, joined_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, user_id) DO NOTHING",
            )
            .bind(V(&account.0))
            .bind(V(&user.0))
            .bind(V(invitation.role.as_str()))
            .bind(V(&now))
            .run(&mut *tx)
            .await?;
        }
        sqlx::query::<E::Db>("UPDATE invitations SET status = $2 WHERE id = $1")
            .bind(V(&id.0))
            .bind(V(answer))
            .run(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(account)
    }

    async fn set_role(
        &self,
        by: UserId,
        account: AccountId,
        member: UserId,
        new: Role,
        at: OffsetDateTime,
    ) -> Result<Member, StoreError> {
        let mut tx = self.begin_write().await?;
        let actor = Self::lock_member(&mut tx, by, account).await?;
        member_change(actor, by == member, MemberChange::SetRole(new))?;
        let sql = format!("{ACTIVE} AND m.user_id = $2");
        let target = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&account.0))
            .bind(V(&member.0))
            .optional::<MemberRow>(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_member()?;
        let mut changes = Vec::new();
        if target.role != new {
            let after = Member {
                role: new,
                ..target.clone()
            };
            let none = InvitationId(Uuid::nil());
            changes.push(member_change_of(
                account,
                by,
                at,
                none,
                Some(&target),
                Some(&after),
            ));
            if new == Role::Owner {
                let sql = format!("{ACTIVE} AND m.user_id = $2");
                let old = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
                    .bind(V(&account.0))
                    .bind(V(&by.0))
                    .optional::<MemberRow>(&mut *tx)
                    .await?
                    .map(MemberRow::into_member)
                    .transpose()?;
                if let Some(old) = old {
                    let editor = Member {
                        role: Role::Editor,
                        ..old.clone()
                    };
                    changes.push(member_change_of(
                        account,
                        by,
                        at,
                        none,
                        Some(&old),
                        Some(&editor),
                    ));
                }
                // The owner hands over: they become an editor, the member the owner
                // (in this order: an account has one owner row at any time).
                Self::put_role(&mut tx, account, by, Role::Editor).await?;
                sqlx::query::<E::Db>("UPDATE accounts SET owner_id = $2 WHERE id = $1")
                    .bind(V(&account.0))
                    .bind(V(&member.0))
                    .run(&mut *tx)
                    .await
                    .map_err(super::map_unique(crate::domain::Refusal::NameTaken))?;
            }
            Self::put_role(&mut tx, account, member, new).await?;
        }
        Self::record(&mut tx, &changes).await?;
        tx.commit().await?;
        Ok(Member {
            role: new,
            ..target
        })
    }

    async fn remove_member(
        &self,
        by: UserId,
        account: AccountId,
        member: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let actor = Self::lock_member(&mut tx, by, account).await?;
        member_change(actor, by == member, MemberChange::Remove)?;
        let sql = format!("{ACTIVE} AND m.user_id = $2");
        let gone = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&account.0))
            .bind(V(&member.0))
            .optional::<MemberRow>(&mut *tx)
            .await?
            .map(MemberRow::into_member)
            .transpose()?;
        let removed = sqlx::query::<E::Db>(
            "DELETE FROM account_members \
             WHERE account_id = $1 AND user_id = $2 AND role <> 'owner'",
        )
        .bind(V(&account.0))
        .bind(V(&member.0))
        .run(&mut *tx)
        .await?;
        // Not a member: an invitation to that user's email is withdrawn instead.
        let withdrawn = sqlx::query::<E::Db>(
            "DELETE FROM invitations WHERE account_id = $1 AND status = 'pending' \
             AND email = (SELECT email FROM users WHERE id = $2)",
        )
        .bind(V(&account.0))
        .bind(V(&member.0))
        .run(&mut *tx)
        .await?;
        if removed + withdrawn == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query::<E::Db>("DELETE FROM schedules WHERE account_id = $1 AND owner_id = $2")
            .bind(V(&account.0))
            .bind(V(&member.0))
            .run(&mut *tx)
            .await?;
        if let Some(gone) = gone.filter(|_| removed > 0) {
            let none = InvitationId(Uuid::nil());
            let change = member_change_of(account, by, at, none, Some(&gone), None);
            Self::record(&mut tx, &[change]).await?;
            // The account is gone for them: the feed says so, then shows them nothing of it.
            let account_id = account.0.to_string();
            let left = Fed::for_user(
                member,
                at,
                FeedEntity::Account,
                account_id,
                FeedAction::Deleted,
            );
            Self::feed(&mut tx, &[left]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn owns_shared(&self, user: UserId) -> Result<bool, StoreError> {
        let (n,) = sqlx::query::<E::Db>(
            "SELECT count(*) FROM account_members m JOIN accounts a ON a.id = m.account_id \
             WHERE a.owner_id = $1 AND m.user_id <> $1",
        )
        .bind(V(&user.0))
        .one::<(i64,)>(&self.pool)
        .await?;
        Ok(n > 0)
    }
}
