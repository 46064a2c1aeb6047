use super::{App, Error};
use crate::domain::{
    AccountId, AccountSummary, Action, INVITATION_TTL, Invitation, InvitationId, Member,
    MemberInput, UserId,
};
use crate::ports::Mail;

impl App {
    /// Invites an email to one of the user's own accounts with a role (editor or viewer):
    /// the invitation is stored, valid for 7 days, and mailed with the account's name and
    /// who invited. The email may have no user yet; whoever signs in with it sees it. A
    /// member's or an already invited email is a conflict. Should the mail not go out,
    /// the invitation is taken back and the error answered.
    ///
    /// With an idempotency key, a retry of the same request answers the first invitation
    /// (`true` second) and mails nothing; the key with another request is a conflict.
    pub async fn invite_member(
        &self,
        user: UserId,
        account: AccountId,
        input: &MemberInput,
        idempotency_key: Option<&str>,
    ) -> Result<(Member, bool), Error> {
        let (email, role) = input.parse()?;
        let key = idempotency_key
            .map(|k| super::add_movement::fingerprinted(k, &format!("invite:{account}"), input))
            .transpose()?;
        let account = self.account_for(user, account, Action::Manage).await?;
        let now = self.clock.now();
        let invitation = Invitation {
            id: InvitationId::random(),
            account: AccountSummary {
                id: account.id,
                name: account.name.clone(),
                currency: account.currency,
            },
            email,
            role,
            invited_by: self.author(user).await?,
            expires_at: now + INVITATION_TTL,
        };
        let (member, replayed) = self.members.invite(&invitation, now, key).await?;
        if replayed {
            return Ok((member, true));
        }
        if let Err(e) = self.mailer.send(&invitation_mail(&invitation)).await {
            if let Err(undo) = self.members.withdraw(invitation.id).await {
                tracing::warn!(error = %undo.to_string(), "an invitation whose mail failed stays");
            }
            return Err(e.into());
        }
        Ok((member, false))
    }
}

fn invitation_mail(i: &Invitation) -> Mail {
    let inviter = i
        .invited_by
        .email
        .as_ref()
        .map_or_else(|| "Someone".to_string(), |e| e.to_string());
    let role = match i.role {
        crate::domain::Role::Viewer => "see",
        _ => "see and record movements on",
    };
    Mail {
        to: i.email.clone(),
        subject: format!(
            "{inviter} shared the account \"{}\" with you",
            i.account.name
        ),
        body: format!(
            "{inviter} invited you to {role} the account \"{name}\" ({currency}) as {as_role}.\r\n\r\n\
             Sign in to finance with this address and accept it:\r\n\
             \x20 finance invitations --accept {id}\r\n\
             or POST /v1/invitations/{id}/accept.\r\n\r\n\
             The invitation is valid until {until} (UTC). If you do not know {inviter}, ignore it.\r\n",
            name = i.account.name,
            currency = i.account.currency,
            as_role = i.role.as_str(),
            id = i.id,
            until = i.expires_at.date(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Email, MemberStatus, Role};
    use crate::ports::MailError;
    use crate::usecases::testing::{Mocks, account};

    fn input(role: Role) -> MemberInput {
        MemberInput {
            email: "Bo@Example.com".into(),
            role,
        }
    }

    fn invited(i: &Invitation) -> Member {
        Member {
            user_id: None,
            email: i.email.clone(),
            role: i.role,
            status: MemberStatus::Invited,
            expires_at: Some(i.expires_at),
        }
    }

    #[tokio::test]
    async fn the_owner_invites_and_the_invitee_is_mailed() {
        let owner = UserId::random();
        let a = account(owner, "Joint", "EUR", 0);
        let id = a.id;
        let mut m = Mocks::new();
        let now = m.now;
        m.known_authors();
        m.accounts.expect_get_account().return_const(Ok(Some(a)));
        m.members
            .expect_invite()
            .withf(move |i, at, _| {
                i.account.id == id
                    && i.email.as_str() == "bo@example.com"
                    && i.role == Role::Editor
                    && i.expires_at == now + time::Duration::days(7)
                    && *at == now
            })
            .times(1)
            .returning(|i, _, _| Ok((invited(i), false)));
        m.mailer
            .expect_send()
            .withf(|mail| {
                mail.to == Email::parse("bo@example.com").expect("email")
                    && mail.subject.contains("Joint")
                    && mail.body.contains("@example.com invited you")
            })
            .times(1)
            .returning(|_| Ok(()));
        let member = m
            .app()
            .invite_member(owner, id, &input(Role::Editor), None)
            .await
            .expect("invited")
            .0;
        assert_eq!(member.status, MemberStatus::Invited);
    }

    #[tokio::test]
    async fn an_editor_may_not_invite_and_nothing_is_stored() {
        let mut a = account(UserId::random(), "Joint", "EUR", 0);
        a.role = Role::Editor;
        let id = a.id;
        let mut m = Mocks::new();
        m.accounts.expect_get_account().return_const(Ok(Some(a)));
        m.members.expect_invite().never();
        let refused = m
            .app()
            .invite_member(UserId::random(), id, &input(Role::Viewer), None)
            .await;
        assert!(matches!(refused, Err(Error::Forbidden)));
    }

    #[tokio::test]
    async fn a_failed_mail_takes_the_invitation_back() {
        let owner = UserId::random();
        let a = account(owner, "Joint", "EUR", 0);
        let id = a.id;
        let mut m = Mocks::new();
        m.known_authors();
        m.accounts.expect_get_account().return_const(Ok(Some(a)));
        m.members
            .expect_invite()
            .returning(|i, _, _| Ok((invited(i), false)));
        m.mailer
            .expect_send()
            .returning(|_| Err(MailError::Unavailable("down".into())));
        m.members.expect_withdraw().times(1).returning(|_| Ok(()));
        let failed = m
            .app()
            .invite_member(owner, id, &input(Role::Viewer), None)
            .await;
        assert!(matches!(failed, Err(Error::Unavailable(_))));
    }

    #[tokio::test]
    async fn a_replayed_invitation_is_not_mailed_again() {
        let owner = UserId::random();
        let a = account(owner, "Joint", "EUR", 0);
        let id = a.id;
        let mut m = Mocks::new();
        m.known_authors();
        m.accounts.expect_get_account().return_const(Ok(Some(a)));
        m.members
            .expect_invite()
            .withf(|_, _, key| {
                key.as_ref()
                    .is_some_and(|k| k.key == "k" && k.fingerprint.starts_with("invite:"))
            })
            .returning(|i, _, _| Ok((invited(i), true)));
        m.mailer.expect_send().never();
        let (_, replayed) = m
            .app()
            .invite_member(owner, id, &input(Role::Viewer), Some("k"))
            .await
            .expect("replayed");
        assert!(replayed);
    }

    #[tokio::test]
    async fn an_owner_role_is_not_invited() {
        let m = Mocks::new();
        let refused = m
            .app()
            .invite_member(
                UserId::random(),
                AccountId::random(),
                &input(Role::Owner),
                None,
            )
            .await;
        assert!(matches!(refused, Err(Error::Invalid(_))));
    }
}
