//! Sharing in the stores, on both engines: memberships decide every read and write, and a
//! property test drives random invitations, answers, role changes, hand-overs, removals,
//! leaving and deleting oneself against a model of who may do what.

mod support;

use finance_core::domain::*;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::macros::date;

#[path = "sharing/model.rs"]
mod model;

/// An invitation from `by` to `to` for `account`, valid for a week from `NOW`.
pub fn invitation(account: &Account, by: &User, to: &Email, role: Role) -> Invitation {
    Invitation {
        id: InvitationId::random(),
        account: AccountSummary {
            id: account.id,
            name: account.name.clone(),
            currency: account.currency,
        },
        email: to.clone(),
        role,
        invited_by: author(by.id),
        expires_at: NOW + INVITATION_TTL,
    }
}

/// `to` joins `account` as `role`.
pub async fn join(s: &impl Store, account: &Account, owner: &User, to: &User, role: Role) {
    let inv = invitation(account, owner, &to.email, role);
    s.invite(&inv, NOW, None).await.expect("invite");
    s.answer_invitation(to.id, &to.email, inv.id, true, NOW)
        .await
        .expect("accept");
}

async fn roles_decide_reads_and_writes(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let cyd = user(&s, "cyd@example.com").await;
    let dan = user(&s, "dan@example.com").await;
    let joint = account(&s, ada.id, "Joint", eur()).await;
    s.add_movement(
        ada.id,
        &movement(&joint, -1_000, date!(2026 - 11 - 01)),
        None,
    )
    .await
    .expect("ada writes");

    // Invited is not joined: nothing shows before accepting.
    let inv = invitation(&joint, &ada, &bob.email, Role::Editor);
    let key = IdempotencyKey {
        key: "invite-bob".into(),
        fingerprint: "invite:bob".into(),
    };
    let (invited, replayed) = s
        .invite(&inv, NOW, Some(key.clone()))
        .await
        .expect("invite");
    assert!(!replayed);
    // A retry with the key answers the first invitation, writing nothing.
    let retry = invitation(&joint, &ada, &bob.email, Role::Editor);
    let (again, replayed) = s
        .invite(&retry, NOW, Some(key.clone()))
        .await
        .expect("replay");
    assert!(replayed);
    assert_eq!(again, invited);
    let other = IdempotencyKey {
        fingerprint: "invite:someone-else".into(),
        ..key
    };
    assert!(matches!(
        s.invite(&retry, NOW, Some(other)).await,
        Err(StoreError::Refused(Refusal::IdempotencyKeyReused))
    ));
    assert_eq!(
        (invited.user_id, invited.status),
        (Some(bob.id), MemberStatus::Invited)
    );
    assert_eq!(s.get_account(bob.id, joint.id).await.expect("read"), None);
    let pending = s.invitations(&bob.email, NOW).await.expect("list");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].invited_by.email.as_ref(), Some(&ada.email));
    assert!(
        s.invitations(&bob.email, inv.expires_at)
            .await
            .expect("list")
            .is_empty()
    );
    s.answer_invitation(bob.id, &bob.email, inv.id, true, NOW)
        .await
        .expect("accept");
    join(&s, &joint, &ada, &cyd, Role::Viewer).await;

    let seen = s
        .get_account(bob.id, joint.id)
        .await
        .expect("read")
        .expect("shared");
    assert_eq!((seen.role, seen.owner_id), (Role::Editor, ada.id));
    let listed = s.list_accounts(cyd.id).await.expect("list");
    assert_eq!(
        listed.iter().map(|a| (a.id, a.role)).collect::<Vec<_>>(),
        [(joint.id, Role::Viewer)]
    );

    // Writes by role, checked in the write itself (both engines' own write paths).
    let mut by_bob = movement(&joint, -250, date!(2026 - 11 - 02));
    by_bob.created_by = author(bob.id);
    by_bob.updated_by = author(bob.id);
    s.add_movement(bob.id, &by_bob, None)
        .await
        .expect("editor writes");
    let viewer_write = s
        .add_movement(cyd.id, &movement(&joint, -1, date!(2026 - 11 - 02)), None)
        .await;
    assert!(
        matches!(viewer_write, Err(StoreError::Forbidden)),
        "{viewer_write:?}"
    );
    let import = s
        .import_rows(
            cyd.id,
            joint.id,
            &keyed(&[movement(&joint, -1, date!(2026 - 11 - 02))]),
        )
        .await;
    assert!(matches!(import, Err(StoreError::Forbidden)), "{import:?}");
    let stranger = s
        .add_movement(dan.id, &movement(&joint, -1, date!(2026 - 11 - 02)), None)
        .await;
    assert!(
        matches!(stranger, Err(StoreError::NotFound)),
        "{stranger:?}"
    );
    assert!(matches!(
        s.update_account(bob.id, &seen, &seen, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(balance(&s, &joint).await, -1_250);

    // Reads of every member count the shared account.
    let read = s
        .get_movement(cyd.id, joint.id, by_bob.id)
        .await
        .expect("read")
        .expect("a viewer reads");
    assert_eq!(read.created_by.email.as_ref(), Some(&bob.email));
    assert_eq!(
        s.get_movement(dan.id, joint.id, by_bob.id)
            .await
            .expect("read"),
        None
    );
    let sums = s.category_sums(cyd.id).await.expect("sums");
    assert_eq!(sums.iter().map(|c| c.count).sum::<u64>(), 2);
    assert!(s.category_sums(dan.id).await.expect("sums").is_empty());
    let (accounts, _) = s
        .accounts_and_rates_on(bob.id, date!(2026 - 11 - 30))
        .await
        .expect("me");
    assert_eq!(
        accounts.iter().map(|a| a.role).collect::<Vec<_>>(),
        [Role::Editor]
    );

    // Members: the owner first; only the owner changes them; the owner cannot leave.
    let members = s.members(dan.id, joint.id, NOW).await;
    assert!(matches!(members, Err(StoreError::NotFound)));
    let members = s.members(cyd.id, joint.id, NOW).await.expect("members");
    let roles: Vec<_> = members.iter().map(|m| (m.email.as_str(), m.role)).collect();
    assert_eq!(
        roles,
        [
            ("ada@example.com", Role::Owner),
            ("bob@example.com", Role::Editor),
            ("cyd@example.com", Role::Viewer)
        ]
    );
    let again = s
        .invite(
            &invitation(&joint, &ada, &cyd.email, Role::Editor),
            NOW,
            None,
        )
        .await;
    assert!(matches!(
        again,
        Err(StoreError::Refused(Refusal::AlreadyMember))
    ));
    let by_editor = s
        .invite(
            &invitation(&joint, &bob, &dan.email, Role::Viewer),
            NOW,
            None,
        )
        .await;
    assert!(matches!(by_editor, Err(StoreError::Forbidden)));
    assert!(matches!(
        s.remove_member(bob.id, joint.id, cyd.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        s.remove_member(ada.id, joint.id, ada.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Refused(Refusal::OwnerMustHandOver))
    ));
    s.set_role(
        ada.id,
        joint.id,
        cyd.id,
        Role::Editor,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("promote");
    s.add_movement(cyd.id, &movement(&joint, -1, date!(2026 - 11 - 03)), None)
        .await
        .expect("a new editor writes at once");
    s.remove_member(cyd.id, joint.id, cyd.id, time::OffsetDateTime::now_utc())
        .await
        .expect("leave");
    assert_eq!(s.get_account(cyd.id, joint.id).await.expect("read"), None);
    let after = s
        .add_movement(cyd.id, &movement(&joint, -1, date!(2026 - 11 - 03)), None)
        .await;
    assert!(matches!(after, Err(StoreError::NotFound)));

    // An expired invitation is replaced by a new one.
    let mut old = invitation(&joint, &ada, &dan.email, Role::Viewer);
    old.expires_at = NOW - time::Duration::days(1);
    s.invite(&old, NOW - time::Duration::days(8), None)
        .await
        .expect("old invite");
    s.invite(
        &invitation(&joint, &ada, &dan.email, Role::Viewer),
        NOW,
        None,
    )
    .await
    .expect("invited afresh");
    let expired = s
        .answer_invitation(dan.id, &dan.email, old.id, true, NOW)
        .await;
    assert!(matches!(expired, Err(StoreError::NotFound)));
}

async fn handing_over_and_leaving_for_good(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let joint = account(&s, ada.id, "Joint", eur()).await;
    let wallet = account(&s, ada.id, "Wallet", eur()).await;
    join(&s, &joint, &ada, &bob, Role::Editor).await;
    assert!(s.owns_shared(ada.id).await.expect("shared"));
    assert!(matches!(
        s.delete_user(ada.id, time::OffsetDateTime::now_utc()).await,
        Err(StoreError::Refused(Refusal::AccountShared))
    ));

    let handed = s
        .set_role(
            ada.id,
            joint.id,
            bob.id,
            Role::Owner,
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("hand over");
    assert_eq!(handed.role, Role::Owner);
    let seen = s
        .get_account(ada.id, joint.id)
        .await
        .expect("read")
        .expect("still a member");
    assert_eq!((seen.role, seen.owner_id), (Role::Editor, bob.id));
    let owners = s.members(ada.id, joint.id, NOW).await.expect("members");
    assert_eq!(owners.iter().filter(|m| m.role == Role::Owner).count(), 1);
    assert!(matches!(
        s.set_role(
            ada.id,
            joint.id,
            bob.id,
            Role::Viewer,
            time::OffsetDateTime::now_utc()
        )
        .await,
        Err(StoreError::Forbidden)
    ));

    // A transfer from her own wallet to the joint account: when she leaves for good, the
    // joint account keeps the money that arrived, as a movement of its own.
    let mut transfer = Transfer {
        id: TransferId::random(),
        from: movement(&wallet, -500, date!(2026 - 11 - 05)),
        to: movement(&joint, 500, date!(2026 - 11 - 05)),
        rate: None,
    };
    transfer.from.transfer_id = Some(transfer.id);
    transfer.to.transfer_id = Some(transfer.id);
    s.add_transfer(ada.id, &transfer, None)
        .await
        .expect("transfer");
    assert!(!s.owns_shared(ada.id).await.expect("shared"));
    s.delete_user(ada.id, time::OffsetDateTime::now_utc())
        .await
        .expect("gone");
    let kept = s
        .get_account(bob.id, joint.id)
        .await
        .expect("read")
        .expect("bob's");
    assert_eq!(kept.balance.minor(), 500);
    let left = all_movements(&s, &joint).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].transfer_id, None);
    assert_eq!(left[0].created_by.email, None, "its author has left");
    let members = s.members(bob.id, joint.id, NOW).await.expect("members");
    assert_eq!(members.len(), 1);
    assert_eq!(
        s.get_transfer(bob.id, transfer.id).await.expect("read"),
        None
    );
}

suite!(
    roles_decide_reads_and_writes,
    handing_over_and_leaving_for_good
);
