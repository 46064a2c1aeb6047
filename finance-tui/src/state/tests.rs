//! The state machine driven as the keyboard and the background would drive it.

use super::*;
use finance_core::domain::{
    Account, AccountId, Currency, Cursor, Email, Money, Movement, MovementId, MovementPage,
    Profile, User, UserId, UserRef, totals,
};

use time::macros::{date, datetime};

pub const TODAY: Date = date!(2026 - 11 - 24);

pub fn account(name: &str, code: &str, minor: i64) -> Account {
    let currency = Currency::parse(code).expect("currency");
    Account {
        reconciled_on: None,
        id: AccountId::random(),
        owner_id: UserId(uuid::Uuid::nil()),
        owner_email: None,
        role: finance_core::domain::Role::Owner,
        name: name.into(),
        currency,
        balance: Money::from_minor(minor, currency),
        archived: false,
        created_at: datetime!(2026-01-01 0:00 UTC),
    }
}

pub fn profile(accounts: Vec<Account>) -> Profile {
    let totals = totals(&accounts);
    Profile {
        user: User {
            id: UserId(uuid::Uuid::nil()),
            email: Email::parse("ada@example.com").expect("email"),
            created_at: datetime!(2026-01-01 0:00 UTC),
            base_currency: None,
        },
        accounts,
        totals,
        net_worth: None,
    }
}

pub fn movement(a: &Account, minor: i64, on: Date, description: &str) -> Movement {
    Movement {
        reconciled: false,
        id: MovementId::random(),
        account_id: a.id,
        amount: Money::from_minor(minor, a.currency),
        description: description.into(),
        category: Some("food".into()),
        occurred_on: on,
        transfer_id: None,
        schedule_id: None,
        created_at: datetime!(2026-01-01 0:00 UTC),
        updated_at: datetime!(2026-01-01 0:00 UTC),
        created_by: UserRef {
            id: a.owner_id,
            email: None,
        },
        updated_by: UserRef {
            id: a.owner_id,
            email: None,
        },
        splits: None,
        tags: Vec::new(),
        rule_id: None,
    }
}

pub fn page(items: Vec<Movement>, more: bool) -> MovementPage {
    let next_cursor = more.then_some(Cursor {
        occurred_on: date!(2026 - 01 - 01),
        seq: 1,
    });
    MovementPage { items, next_cursor }
}

/// A loaded dashboard: Bank (EUR, 100.00) with `n` movements, and Cash (JPY).
pub fn loaded(n: usize, more: bool) -> State {
    let mut s = State::new("the local database".into(), TODAY);
    assert_eq!(
        s.start(),
        vec![
            Effect::LoadProfile(None),
            Effect::LoadInvitations,
            Effect::FollowChanges(None)
        ]
    );
    let none = finance_core::domain::InvitationList { items: Vec::new() };
    assert!(s.update(Answer::InvitationsLoaded(none)).is_empty());
    let bank = account("Bank", "EUR", 10_000);
    let cash = account("Cash", "JPY", 5_000);
    let effects = s.update(Answer::ProfileLoaded(profile(vec![bank.clone(), cash])));
    assert_eq!(
        effects,
        vec![Effect::LoadMovements {
            account: bank.clone(),
            cursor: None,
            q: None
        }]
    );
    let items = (0..n)
        .map(|i| {
            movement(
                &bank,
                100,
                TODAY - time::Duration::days(i as i64),
                &format!("item {i}"),
            )
        })
        .collect();
    assert!(
        s.update(Answer::MovementsLoaded {
            account: bank.id,
            page: page(items, more),
            append: false
        })
        .is_empty()
    );
    assert_eq!(s.in_flight, 0);
    s
}

pub fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        assert!(s.update(Key::Char(c)).is_empty());
    }
}

#[test]
fn moving_between_accounts_loads_their_movements() {
    let mut s = loaded(3, false);
    let cash = s.accounts.list()[1].clone();
    assert_eq!(
        s.update(Key::Down),
        vec![Effect::LoadMovements {
            account: cash.clone(),
            cursor: None,
            q: None
        }]
    );
    assert_eq!(s.accounts.selected, 1);
    assert!(
        s.movements.items.is_empty(),
        "old movements are not shown for the new account"
    );
    assert!(
        s.update(Key::Down).is_empty(),
        "already at the last account"
    );
    let bank = s.accounts.list()[0].clone();
    assert_eq!(
        s.update(Key::Up),
        vec![Effect::LoadMovements {
            account: bank,
            cursor: None,
            q: None
        }]
    );
    // An answer for an account no longer selected is ignored.
    s.update(Answer::MovementsLoaded {
        account: cash.id,
        page: page(vec![movement(&cash, 1, TODAY, "x")], false),
        append: false,
    });
    assert!(s.movements.items.is_empty());
}

#[test]
fn switching_accounts_while_a_page_loads_leaves_loading_more_working() {
    let mut s = loaded(8, true);
    s.update(Key::NextPane);
    for _ in 0..3 {
        s.update(Key::Down);
    }
    assert!(
        s.movements.loading_more,
        "a next page of Bank is on its way"
    );
    let bank = s.accounts.list()[0].clone();
    let cash = s.accounts.list()[1].clone();
    // Back to the accounts, and on to Cash before Bank's page arrives.
    s.update(Key::NextPane);
    let effects = s.update(Key::Down);
    assert!(
        matches!(&effects[..], [Effect::LoadMovements { cursor: None, account, .. }] if account.id == cash.id)
    );
    s.update(Answer::MovementsLoaded {
        account: bank.id,
        page: page(vec![movement(&bank, 1, TODAY, "stale")], false),
        append: true,
    });
    assert!(s.movements.items.is_empty(), "the stale page is dropped");
    let cash_page = (0..8)
        .map(|i| movement(&cash, 1, TODAY, &format!("cash {i}")))
        .collect();
    s.update(Answer::MovementsLoaded {
        account: cash.id,
        page: page(cash_page, true),
        append: false,
    });
    s.update(Key::NextPane);
    let mut asked = Vec::new();
    for _ in 0..4 {
        asked.extend(s.update(Key::Down));
    }
    assert!(
        matches!(&asked[..], [Effect::LoadMovements { cursor: Some(_), account, .. }] if account.id == cash.id),
        "loading more works on the new account: {asked:?}"
    );
    // A failed load lets the next scroll ask again.
    s.update(Answer::Failed("network".into()));
    assert!(!s.movements.loading_more);
}

#[test]
fn scrolling_loads_the_next_page_once() {
    let mut s = loaded(8, true);
    assert_eq!(s.update(Key::NextPane), vec![]);
    assert_eq!(s.pane, Pane::Movements);
    assert!(s.update(Key::Down).is_empty());
    assert!(s.update(Key::Down).is_empty());
    let effects = s.update(Key::Down);
    assert!(
        matches!(
            &effects[..],
            [Effect::LoadMovements {
                cursor: Some(_),
                ..
            }]
        ),
        "{effects:?}"
    );
    assert!(s.movements.loading_more);
    assert!(
        s.update(Key::Down).is_empty(),
        "no second request while one is out"
    );
    let bank = s.accounts.list()[0].clone();
    let more = (0..3)
        .map(|i| movement(&bank, 1, date!(2026 - 01 - 01), &format!("old {i}")))
        .collect();
    s.update(Answer::MovementsLoaded {
        account: bank.id,
        page: page(more, false),
        append: true,
    });
    assert_eq!(s.movements.items.len(), 11);
    assert!(!s.movements.loading_more);
    assert_eq!(s.movements.next_cursor, None);
    for _ in 0..20 {
        assert!(s.update(Key::Down).is_empty(), "nothing more to load");
    }
    assert_eq!(s.movements.row, 10);
    s.update(Key::NextPane);
    assert_eq!(s.pane, Pane::Accounts);
}
