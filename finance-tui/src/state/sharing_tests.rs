//! Sharing in the dashboard: invitations at start, the members pane, inviting.

use super::tests::{TODAY, account, loaded};
use super::*;
use crate::message::Key;
use finance_core::domain::{
    AccountSummary, Email, Invitation, InvitationId, InvitationList, Member, MemberList,
    MemberStatus, Role, UserId, UserRef,
};
use time::macros::datetime;

fn invitation() -> Invitation {
    let joint = account("Joint", "EUR", 0);
    Invitation {
        id: InvitationId::random(),
        account: AccountSummary {
            id: joint.id,
            name: "Joint".into(),
            currency: joint.currency,
        },
        email: Email::parse("ada@example.com").expect("email"),
        role: Role::Editor,
        invited_by: UserRef {
            id: UserId::random(),
            email: Email::parse("bob@example.com").ok(),
        },
        expires_at: datetime!(2026-12-01 0:00 UTC),
    }
}

#[test]
fn pending_invitations_show_at_start_and_are_answered() {
    let mut s = State::new("the local database".into(), TODAY);
    s.start();
    let inv = invitation();
    let list = InvitationList {
        items: vec![inv.clone()],
    };
    assert!(s.update(Answer::InvitationsLoaded(list)).is_empty());
    assert_eq!(s.mode, Mode::Invitations);
    assert_eq!(
        s.update(Key::Accept),
        vec![Effect::AnswerInvitation {
            id: inv.id,
            accept: true
        }]
    );
    let mut joined = account("Joint", "EUR", 0);
    joined.role = Role::Editor;
    let effects = s.update(Answer::InvitationAnswered(Some(joined)));
    assert_eq!(
        effects,
        vec![Effect::LoadProfile(None), Effect::LoadInvitations]
    );
    assert!(matches!(&s.status, Some(Status::Info(i)) if i == "Joined Joint as editor"));
    s.update(Answer::InvitationsLoaded(InvitationList {
        items: Vec::new(),
    }));
    assert_eq!(s.mode, Mode::Normal, "nothing left to answer");
}

#[test]
fn the_members_pane_invites_and_removes() {
    let mut s = loaded(0, false);
    let bank = s.accounts.current().cloned().expect("an account");
    assert_eq!(
        s.update(Key::ToggleMembers),
        vec![Effect::LoadMembers(bank.clone())]
    );
    assert_eq!(s.mode, Mode::Members);
    let bob = UserId::random();
    let member = |id, email: &str, role| Member {
        user_id: Some(id),
        email: Email::parse(email).expect("email"),
        role,
        status: MemberStatus::Active,
        expires_at: None,
    };
    let list = MemberList {
        items: vec![
            member(bank.owner_id, "ada@example.com", Role::Owner),
            member(bob, "bob@example.com", Role::Viewer),
        ],
    };
    s.update(Answer::MembersLoaded {
        account: bank.id,
        list,
    });
    assert_eq!(s.sharing.members.len(), 2);
    s.update(Key::Down);
    assert_eq!(
        s.update(Key::Remove),
        vec![Effect::RemoveMember {
            account: bank.clone(),
            member: bob
        }]
    );

    // Inviting: a form, checked before it is sent, back to the members after.
    s.update(Key::Invite);
    assert!(matches!(&s.mode, Mode::Form(f) if f.kind == crate::components::form::Kind::Invite));
    for c in "not-an-email".chars() {
        s.update(Key::Char(c));
    }
    assert!(s.update(Key::Submit).is_empty(), "a bad email is not sent");
    let Mode::Form(form) = &s.mode else {
        panic!("still the form")
    };
    assert_eq!(form.errors[0].field, "email");
    s.update(Key::Cancel);
    assert_eq!(s.mode, Mode::Members);
    s.update(Key::Invite);
    for c in "cyd@example.com".chars() {
        s.update(Key::Char(c));
    }
    let sent = s.update(Key::Submit);
    assert!(
        matches!(&sent[..], [Effect::Invite { account, input }]
            if account.id == bank.id && input.email == "cyd@example.com" && input.role == Role::Viewer),
        "{sent:?}"
    );
    let invited = Member {
        user_id: None,
        status: MemberStatus::Invited,
        ..member(bob, "cyd@example.com", Role::Viewer)
    };
    assert_eq!(
        s.update(Answer::MemberInvited(invited)),
        vec![Effect::LoadMembers(bank)]
    );
    assert_eq!(s.mode, Mode::Members);
    s.update(Key::Cancel);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn shared_accounts_and_invitations_are_drawn() {
    let mut s = loaded(0, false);
    let mut joint = account("Joint", "EUR", 0);
    joint.role = Role::Viewer;
    joint.owner_email = Email::parse("bob@example.com").ok();
    let mut accounts = s.accounts.profile.clone().expect("loaded").accounts;
    accounts.push(joint);
    s.update(Answer::ProfileLoaded(super::tests::profile(accounts)));
    let text = crate::view::tests::screen(&s, 100, 30);
    assert!(text.contains("↔ viewer · bob@example"), "{text}");
    s.update(Answer::InvitationsLoaded(InvitationList {
        items: vec![invitation()],
    }));
    let text = crate::view::tests::screen(&s, 100, 30);
    assert!(
        text.contains("Invitations") && text.contains("Joint (EUR)"),
        "{text}"
    );
    assert!(text.contains("y accept · x decline"), "{text}");
}
