//! The dashboard's state for archived accounts, correcting movements and transfers.

use finance_core::domain::Money;

use super::tests::{TODAY, account, loaded, profile, typed};
use super::*;

#[test]
fn archived_accounts_are_behind_a_toggle_and_still_count() {
    let mut s = State::new("the local database".into(), TODAY);
    s.start();
    let mut old = account("Old", "EUR", 2_500);
    old.archived = true;
    let bank = account("Bank", "EUR", 10_000);
    s.update(Answer::ProfileLoaded(profile(vec![
        old.clone(),
        bank.clone(),
    ])));
    let names =
        |s: &State| -> Vec<String> { s.accounts.list().iter().map(|a| a.name.clone()).collect() };
    assert_eq!(names(&s), ["Bank"]);
    assert_eq!(s.accounts.current().map(|a| a.id), Some(bank.id));
    let totals = &s.accounts.profile.as_ref().expect("loaded").totals;
    assert_eq!(
        totals[0].balance.to_string(),
        "125.00",
        "archived still counts"
    );

    // Shown: the selection stays on Bank, so no reload; Old can then be selected.
    assert!(s.update(Key::ToggleArchived).is_empty());
    assert_eq!(names(&s), ["Old", "Bank"]);
    assert_eq!(s.accounts.current().map(|a| a.id), Some(bank.id));
    assert_eq!(
        s.update(Key::Up),
        vec![Effect::LoadMovements {
            account: old.clone(),
            cursor: None,
            q: None
        }]
    );
    // Hidden again while on Old: the selection falls back to Bank and loads it.
    assert_eq!(
        s.update(Key::ToggleArchived),
        vec![Effect::LoadMovements {
            account: bank,
            cursor: None,
            q: None
        }]
    );
}

#[test]
fn a_movement_is_edited_in_the_form_and_deleted_after_asking() {
    let mut s = loaded(2, false);
    // Into the movements pane, where the newest is selected.
    assert!(s.update(Key::NextPane).is_empty());
    let first = s.movements.selected().cloned().expect("a movement");

    assert!(s.update(Key::EditMovement).is_empty());
    let Mode::Form(form) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert_eq!(form.fields[0].value, first.amount.to_string());
    for _ in 0..first.amount.to_string().len() {
        s.update(Key::Backspace);
    }
    typed(&mut s, "2.5");
    let effects = s.update(Key::Submit);
    let [Effect::EditMovement { movement, patch }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(movement, &first);
    assert_eq!(patch.amount.as_deref(), Some("2.5"));
    assert_eq!(
        patch.description.as_deref(),
        Some(first.description.as_str())
    );
    let mut edited = first.clone();
    edited.amount = Money::from_minor(250, first.amount.currency());
    assert_eq!(
        s.update(Answer::MovementEdited(edited)),
        vec![Effect::LoadProfile(None)]
    );
    assert_eq!(s.mode, Mode::Normal);

    // Delete asks; anything but y/n leaves the question, n keeps the movement, y deletes.
    assert!(s.update(Key::DeleteMovement).is_empty());
    assert!(matches!(s.mode, Mode::Confirm(_)));
    assert!(s.update(Key::Char('x')).is_empty());
    assert!(matches!(s.mode, Mode::Confirm(_)));
    assert!(s.update(Key::Char('n')).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    s.update(Key::DeleteMovement);
    assert_eq!(
        s.update(Key::Char('y')),
        vec![Effect::DeleteMovement(first.clone())]
    );
    assert_eq!(
        s.update(Answer::MovementDeleted(first)),
        vec![Effect::LoadProfile(None)]
    );
}

#[test]
fn a_transfer_picks_its_target_and_asks_what_arrived_only_across_currencies() {
    let mut s = loaded(0, false);
    let bank = s.accounts.current().cloned().expect("Bank");
    let savings = account("Savings", "EUR", 0);
    let cash = s.accounts.list()[1].clone(); // Cash, JPY
    s.update(Answer::ProfileLoaded(profile(vec![
        bank.clone(),
        cash.clone(),
        savings.clone(),
    ])));
    assert!(s.update(Key::OpenTransfer).is_empty());
    let Mode::Form(form) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    // The first other account is offered; JPY needs what arrived.
    assert_eq!(form.chosen_target().map(|a| a.id), Some(cash.id));
    assert!(form.shown(2), "Arrived shows between two currencies");
    // Space in the To field moves to Savings (EUR): Arrived goes away.
    s.update(Key::Char(' '));
    let Mode::Form(form) = &s.mode else {
        panic!("{:?}", s.mode)
    };
    assert_eq!(form.chosen_target().map(|a| a.id), Some(savings.id));
    assert!(!form.shown(2));
    s.update(Key::NextField);
    typed(&mut s, "25");
    s.update(Key::NextField); // skips the hidden Arrived field, onto Description
    typed(&mut s, "Saving");
    let effects = s.update(Key::Submit);
    let [Effect::Transfer(input)] = &effects[..] else {
        panic!("{effects:?} {:?}", s.mode)
    };
    assert_eq!(input.to_account, savings.id.to_string());
    assert_eq!(
        (input.amount.as_str(), input.to_amount.as_deref()),
        ("25", None)
    );
    assert_eq!(input.description, "Saving");
}
