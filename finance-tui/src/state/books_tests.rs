//! Reconciling from the dashboard, and a movement's history.

use finance_core::domain::{
    HistoryAction, HistoryEntity, HistoryEntry, HistoryPage, ReconciliationInput, UserRef,
};

use super::tests::*;
use super::*;
use crate::message::Key;

#[test]
fn a_reconciled_movement_is_refused_for_edit_and_delete_with_a_message() {
    let mut s = loaded(3, false);
    s.pane = Pane::Movements;
    let mut m = s.movements.items[0].clone();
    m.reconciled = true;
    s.movements.items[0] = m;
    for key in [Key::EditMovement, Key::DeleteMovement] {
        s.status = None;
        assert!(s.update(key).is_empty());
        assert_eq!(s.mode, Mode::Normal);
        assert!(
            matches!(&s.status, Some(Status::Error(e)) if e.contains("Reconciled")),
            "{:?}",
            s.status
        );
    }
}

#[test]
fn the_history_pane_loads_the_selected_movements_changes() {
    let mut s = loaded(3, false);
    s.pane = Pane::Movements;
    let m = s.movements.items[0].clone();
    let effects = s.update(Key::ToggleHistory);
    assert!(
        matches!(&effects[..], [Effect::LoadHistory { movement, .. }] if movement == &m.id),
        "{effects:?}"
    );
    let entry = HistoryEntry {
        at: time::OffsetDateTime::UNIX_EPOCH,
        by: UserRef {
            id: finance_core::domain::UserId(uuid::Uuid::nil()),
            email: None,
        },
        action: HistoryAction::Created,
        entity: HistoryEntity::Movement,
        entity_id: m.id.0,
        before: None,
        after: Some(serde_json::to_value(&m).expect("json")),
    };
    let page = HistoryPage {
        items: vec![entry.clone()],
        next_cursor: None,
    };
    s.update(Answer::HistoryLoaded {
        movement: m.id,
        page,
    });
    match &s.mode {
        Mode::History(h) => assert_eq!(h.entries, Some(vec![entry])),
        other => panic!("{other:?}"),
    }
    s.update(Key::Cancel);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn the_reconcile_form_sends_a_checked_statement() {
    let mut s = loaded(3, false);
    assert!(s.update(Key::OpenReconcile).is_empty());
    assert!(matches!(&s.mode, Mode::Form(f) if f.kind == crate::components::form::Kind::Reconcile));
    // No balance typed: refused in the form, nothing sent.
    assert!(s.update(Key::Submit).is_empty());
    assert!(matches!(&s.mode, Mode::Form(f) if f.errors.iter().any(|e| e.field == "balance")));
    s.update(Key::NextField);
    for c in "12.50".chars() {
        s.update(Key::Char(c));
    }
    let effects = s.update(Key::Submit);
    match &effects[..] {
        [Effect::Reconcile { input, .. }] => assert_eq!(
            input,
            &ReconciliationInput {
                date: s.today.to_string(),
                balance: "12.50".into()
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_reconciled_movement_shows_a_check_and_its_history_reads_as_changes() {
    let mut s = loaded(2, false);
    s.movements.items[0].reconciled = true;
    let text = crate::view::tests::screen(&s, 100, 24);
    assert!(text.contains("✓ item 0"), "{text}");
    assert!(!text.contains("✓ item 1"), "{text}");

    s.pane = Pane::Movements;
    let m = s.movements.items[0].clone();
    s.update(Key::ToggleHistory);
    let mut edited = serde_json::to_value(&m).expect("json");
    edited["description"] = "renamed".into();
    let entry = HistoryEntry {
        at: time::OffsetDateTime::UNIX_EPOCH,
        by: UserRef {
            id: finance_core::domain::UserId(uuid::Uuid::nil()),
            email: finance_core::domain::Email::parse("ada@example.com").ok(),
        },
        action: HistoryAction::Updated,
        entity: HistoryEntity::Movement,
        entity_id: m.id.0,
        before: Some(serde_json::to_value(&m).expect("json")),
        after: Some(edited),
    };
    s.update(Answer::HistoryLoaded {
        movement: m.id,
        page: HistoryPage {
            items: vec![entry],
            next_cursor: None,
        },
    });
    let text = crate::view::tests::screen(&s, 120, 30);
    assert!(text.contains("History — item 0"), "{text}");
    assert!(text.contains("updated ada@example.com"), "{text}");
    assert!(text.contains("description item 0 → renamed"), "{text}");
}
