//! The dashboard's state for adding movements and accounts, failures shown, the filter,
//! help, refresh and quit.

use finance_core::domain::{Account, ValidationError};

use super::tests::{TODAY, account, loaded, movement, page, profile, typed};
use super::*;

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
