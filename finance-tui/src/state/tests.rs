//! The state machine driven as the keyboard and the background would drive it.

use super::*;
use finance_core::domain::{
    Account, AccountId, Currency, Cursor, Email, Money, Movement, MovementId, MovementPage,
    Profile, User, UserId, totals,
};

use time::macros::{date, datetime};

pub const TODAY: Date = date!(2026 - 11 - 24);

pub fn account(name: &str, code: &str, minor: i64) -> Account {
    let currency = Currency::parse(code).expect("currency");
    Account {
        id: AccountId::random(),
        owner_id: UserId(uuid::Uuid::nil()),
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
    }
}

fn page(items: Vec<Movement>, more: bool) -> MovementPage {
    let next_cursor = more.then_some(Cursor {
        occurred_on: date!(2026 - 01 - 01),
        seq: 1,
    });
    MovementPage { items, next_cursor }
}

/// A loaded dashboard: Bank (EUR, 100.00) with `n` movements, and Cash (JPY).
pub fn loaded(n: usize, more: bool) -> State {
    let mut s = State::new("the local database".into(), TODAY);
    assert_eq!(s.start(), vec![Effect::LoadProfile(None)]);
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

#[test]
fn adding_a_movement_validates_inline_then_updates_everything_at_once() {
    let mut s = loaded(2, false);
    s.update(Key::OpenAddMovement);
    let Mode::Form(form) = &s.mode else {
        panic!("form expected")
    };
    assert_eq!(form.fields[2].value, "2026-11-24", "date defaults to today");

    typed(&mut s, "12.345");
    assert!(s.update(Key::Submit).is_empty(), "bad input sends nothing");
    let Mode::Form(form) = &s.mode else {
        panic!("form expected")
    };
    let fields: Vec<&str> = form.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["amount", "description"]);

    for _ in 0..3 {
        s.update(Key::Backspace);
    }
    typed(&mut s, "5");
    s.update(Key::NextField);
    typed(&mut s, "Refund");
    s.update(Key::NextField);
    s.update(Key::NextField);
    typed(&mut s, "misc");
    let effects = s.update(Key::Submit);
    let [Effect::AddMovement { account, input }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(account.name, "Bank");
    assert_eq!(input.amount, "12.5");
    assert_eq!(input.category.as_deref(), Some("misc"));
    assert!(
        s.update(Key::Submit).is_empty(),
        "no double submit while saving"
    );

    let added = movement(account, 1_250, TODAY, "Refund");
    s.update(Answer::MovementAdded(added.clone()));
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.movements.items[0], added);
    assert_eq!(s.accounts.list()[0].balance.to_string(), "112.50");
    let totals = &s.accounts.profile.as_ref().expect("profile").totals;
    assert_eq!(totals[0].balance.to_string(), "112.50");
    assert!(matches!(&s.status, Some(Status::Info(t)) if t.contains("12.50 EUR")));
}

#[test]
fn server_side_rejections_and_failures_show_and_allow_retry() {
    let mut s = loaded(0, false);
    s.update(Key::OpenNewAccount);
    typed(&mut s, "Bank");
    let effects = s.update(Key::Submit);
    assert!(
        matches!(&effects[..], [Effect::CreateAccount(i)] if i.name == "Bank" && i.currency == "EUR")
    );
    s.update(Answer::Rejected(ValidationError::new(
        "name",
        "an account with that name already exists",
    )));
    let Mode::Form(form) = &s.mode else {
        panic!("form stays open")
    };
    assert_eq!(
        form.errors_for("name"),
        ["an account with that name already exists"]
    );
    assert!(!form.submitting);
    assert_eq!(s.update(Key::Submit).len(), 1, "can submit again");
    s.update(Answer::Failed(
        "service unavailable: cannot reach the server".into(),
    ));
    assert!(matches!(&s.status, Some(Status::Error(e)) if e.contains("cannot reach")));
    assert!(matches!(&s.mode, Mode::Form(f) if !f.submitting));
    s.update(Key::Cancel);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn a_created_account_is_selected_once_loaded() {
    let mut s = loaded(0, false);
    s.update(Key::OpenNewAccount);
    typed(&mut s, "Zebra");
    s.update(Key::NextField);
    for _ in 0..3 {
        s.update(Key::Backspace);
    }
    typed(&mut s, "usd");
    let effects = s.update(Key::Submit);
    assert!(matches!(&effects[..], [Effect::CreateAccount(i)] if i.currency == "USD"));
    let zebra = account("Zebra", "USD", 0);
    assert_eq!(
        s.update(Answer::AccountCreated(zebra.clone())),
        vec![Effect::LoadProfile(None)]
    );
    let mut accounts: Vec<Account> = s.accounts.list().into_iter().cloned().collect();
    accounts.push(zebra.clone());
    let effects = s.update(Answer::ProfileLoaded(profile(accounts)));
    assert_eq!(s.accounts.current().map(|a| a.name.as_str()), Some("Zebra"));
    assert_eq!(
        effects,
        vec![Effect::LoadMovements {
            account: zebra,
            cursor: None,
            q: None
        }]
    );
}

#[test]
fn filter_help_refresh_and_quit() {
    let mut s = loaded(3, false);
    s.update(Key::OpenFilter);
    typed(&mut s, "ITEM 1");
    assert_eq!(
        s.movements.visible().len(),
        1,
        "typing narrows what is loaded at once"
    );
    // Enter asks for the matches of the whole history, not only the loaded pages.
    let bank = s.accounts.current().cloned().expect("bank");
    let match_loaded = s.movements.items[1].clone();
    let asked = s.update(Key::Submit);
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(
        asked,
        vec![Effect::LoadMovements {
            account: bank.clone(),
            cursor: None,
            q: Some("ITEM 1".into())
        }]
    );
    let old = movement(
        &bank,
        7,
        TODAY - time::Duration::days(400),
        "item 1, a year ago",
    );
    let found = vec![match_loaded, old];
    s.update(Answer::MovementsLoaded {
        account: bank.id,
        page: page(found, false),
        append: false,
    });
    assert_eq!(
        s.movements.visible().len(),
        2,
        "what the server found, older pages too"
    );
    s.update(Key::OpenFilter);
    let back = s.update(Key::Cancel);
    assert!(s.movements.filter.is_empty() && s.movements.applied.is_none());
    assert_eq!(
        back,
        vec![Effect::LoadMovements {
            account: bank,
            cursor: None,
            q: None
        }],
        "Esc goes back to every movement"
    );

    s.update(Key::ToggleHelp);
    assert_eq!(s.mode, Mode::Help);
    s.update(Key::Quit);
    assert_eq!(s.mode, Mode::Normal);
    assert!(!s.quit, "q closes the help first");

    assert_eq!(s.update(Key::Refresh), vec![Effect::LoadProfile(None)]);
    let p = s.accounts.profile.clone().expect("profile");
    let effects = s.update(Answer::ProfileLoaded(p));
    assert!(
        matches!(&effects[..], [Effect::LoadMovements { cursor: None, .. }]),
        "refresh reloads movements"
    );
    assert_eq!(s.status, None);

    s.update(Key::OpenAddMovement);
    s.update(Key::Quit);
    assert!(s.quit, "Ctrl-C quits even from a form");
    let mut s = loaded(0, false);
    s.update(Key::Quit);
    assert!(s.quit);
}

#[test]
fn adding_without_an_account_says_what_to_do() {
    let mut s = State::new("x".into(), TODAY);
    s.start();
    s.update(Answer::ProfileLoaded(profile(Vec::new())));
    assert!(s.update(Key::OpenAddMovement).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert!(matches!(&s.status, Some(Status::Error(e)) if e.contains("press n")));
    assert!(s.update(Key::Down).is_empty());
}
