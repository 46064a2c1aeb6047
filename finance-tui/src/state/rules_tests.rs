//! Splits and tags in the movement form, and the rules screen: list, preview, apply.

use finance_core::domain::{
    Actions, Applied, Conditions, Rule, RuleId, RuleList, RulePreview, UserId,
};

use super::tests::{TODAY, loaded, movement, typed};
use super::*;

/// The movement form, `amount` and `description` typed, the focus moved to `field`.
fn form_at(s: &mut State, amount: &str, description: &str, field: &str) {
    s.update(Key::OpenAddMovement);
    typed(s, amount);
    s.update(Key::NextField);
    typed(s, description);
    while !matches!(&s.mode, Mode::Form(f) if f.fields[f.focus].key == field) {
        s.update(Key::NextField);
    }
}

fn form(s: &State) -> &Form {
    let Mode::Form(form) = &s.mode else {
        panic!("form expected")
    };
    form
}

#[test]
fn parts_are_added_line_by_line_with_the_remainder_shown() {
    let mut s = loaded(1, false);
    form_at(&mut s, "-57.30", "Supermarket", "split");
    typed(&mut s, "food -45.30");
    assert!(s.update(Key::Submit).is_empty(), "Enter adds the part");
    let eur = s.accounts.current().expect("account").currency;
    assert_eq!(form(&s).parts.len(), 1);
    assert_eq!(
        form(&s).fields[form(&s).focus].value,
        "",
        "ready for the next"
    );
    assert_eq!(
        form(&s).remainder(eur).map(|m| m.to_string()),
        Some("-12.00".into())
    );
    typed(&mut s, "nonsense");
    s.update(Key::Submit);
    assert_eq!(
        form(&s).errors[0].field,
        "split",
        "a part must read CATEGORY AMOUNT"
    );
    for _ in 0.."nonsense".len() {
        s.update(Key::Backspace);
    }
    typed(&mut s, "household -12");
    s.update(Key::Submit);
    assert_eq!(form(&s).remainder(eur).map(|m| m.is_zero()), Some(true));
    let screen = crate::view::tests::screen(&s, 100, 40);
    assert!(
        screen.contains("household") && screen.contains("left to split: 0.00"),
        "{screen}"
    );
    // Back to the tags field: two tags, one in capitals.
    s.update(Key::PrevField);
    typed(&mut s, "Trip,weekly");
    let effects = s.update(Key::Submit);
    let [Effect::AddMovement { input, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let parts = input.splits.as_ref().expect("split");
    assert_eq!(
        (parts[0].category.as_str(), parts[1].amount.as_str()),
        ("food", "-12")
    );
    assert_eq!(
        input.tags,
        ["Trip", "weekly"],
        "sent as typed; the core lower-cases"
    );
    assert_eq!(input.category, None);
}

#[test]
fn parts_that_do_not_sum_stay_in_the_form_and_backspace_takes_one_back() {
    let mut s = loaded(1, false);
    form_at(&mut s, "-10", "Receipt", "split");
    typed(&mut s, "a -4");
    s.update(Key::Submit);
    typed(&mut s, "b -5");
    s.update(Key::Submit);
    assert!(s.update(Key::Submit).is_empty(), "nothing is sent");
    assert_eq!(form(&s).errors[0].field, "splits");
    s.update(Key::Backspace);
    assert_eq!(
        form(&s).parts.len(),
        1,
        "an empty split field takes the last part back"
    );
}

#[test]
fn editing_a_split_movement_starts_from_its_parts_and_tags() {
    let s = loaded(1, false);
    let account = s.accounts.current().cloned().expect("account");
    let mut m = movement(&account, -300, TODAY, "Shop");
    m.category = None;
    m.splits = Some(vec![
        finance_core::domain::Split {
            amount: finance_core::domain::Money::from_minor(-100, account.currency),
            category: "a".into(),
            description: None,
        },
        finance_core::domain::Split {
            amount: finance_core::domain::Money::from_minor(-200, account.currency),
            category: "b".into(),
            description: None,
        },
    ]);
    m.tags = vec!["trip".into()];
    let f = Form::edit(&m);
    assert_eq!(f.parts.len(), 2);
    let patch = f.movement_patch(account.currency, TODAY).expect("valid");
    assert_eq!(
        patch.splits.as_ref().map(|p| p.as_ref().map(Vec::len)),
        Some(Some(2))
    );
    assert_eq!(patch.tags, Some(vec!["trip".to_string()]));
}

fn rule(name: &str) -> Rule {
    Rule {
        id: RuleId::random(),
        owner_id: UserId::random(),
        name: name.into(),
        position: 1,
        when: Conditions {
            description_contains: Some("rewe".into()),
            ..Conditions::default()
        },
        then: Actions {
            category: Some("groceries".into()),
            ..Actions::default()
        },
        applied: 3,
        created_at: TODAY.midnight().assume_utc(),
        updated_at: TODAY.midnight().assume_utc(),
    }
}

#[test]
fn the_rules_screen_previews_before_it_applies() {
    let mut s = loaded(1, false);
    assert_eq!(s.update(Key::ToggleRules), vec![Effect::LoadRules]);
    assert_eq!(s.mode, Mode::Rules);
    let (first, second) = (rule("REWE"), rule("Rent"));
    s.update(Answer::RulesLoaded(RuleList {
        items: vec![first.clone(), second.clone()],
    }));
    assert!(
        s.update(Key::Accept).is_empty(),
        "no apply without a preview"
    );
    s.update(Key::Down);
    assert_eq!(s.update(Key::Submit), vec![Effect::PreviewRule(second.id)]);
    let account = s.accounts.current().cloned().expect("account");
    let before = movement(&account, -100, TODAY, "REWE");
    let mut after = before.clone();
    after.category = Some("groceries".into());
    s.update(Answer::RulePreviewed {
        rule: second.id,
        preview: RulePreview {
            items: vec![finance_core::domain::RuleChange {
                movement: before,
                after,
            }],
        },
    });
    assert_eq!(s.rules.preview.as_ref().map(|p| p.items.len()), Some(1));
    let screen = crate::view::tests::screen(&s, 120, 30);
    assert!(
        screen.contains("food → groceries") && screen.contains("y applies"),
        "{screen}"
    );
    assert_eq!(s.update(Key::Accept), vec![Effect::ApplyRule(second.id)]);
    let effects = s.update(Answer::RuleApplied(Applied { changed: 1 }));
    assert_eq!(effects, vec![Effect::LoadRules, Effect::LoadProfile(None)]);
    assert!(s.rules.preview.is_none());
    assert!(matches!(&s.status, Some(Status::Info(t)) if t == "Changed 1 movement(s)"));
    s.update(Key::Cancel);
    assert_eq!(s.mode, Mode::Normal);
}
