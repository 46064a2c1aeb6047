use proptest::prelude::*;
use time::OffsetDateTime;

use super::*;
use crate::domain::{Currency, Money, Movement, MovementId, UserRef};

fn rule(position: u32, when: Conditions, then: Actions) -> Rule {
    Rule {
        id: RuleId::random(),
        owner_id: UserId::random(),
        name: format!("rule {position}"),
        position,
        when,
        then,
        applied: 0,
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
    }
}

fn movement(account: AccountId, amount: i64, description: &str) -> Movement {
    let eur = Currency::parse("EUR").expect("EUR");
    Movement {
        reconciled: false,
        id: MovementId::random(),
        account_id: account,
        amount: Money::from_minor(amount, eur),
        description: description.into(),
        category: None,
        occurred_on: time::macros::date!(2026 - 12 - 01),
        transfer_id: None,
        schedule_id: None,
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
        created_by: UserRef::sample(),
        updated_by: UserRef::sample(),
        splits: None,
        tags: Vec::new(),
        rule_id: None,
    }
}

fn contains(text: &str) -> Conditions {
    Conditions {
        description_contains: Some(text.into()),
        ..Conditions::default()
    }
}

fn category(c: &str) -> Actions {
    Actions {
        category: Some(c.into()),
        ..Actions::default()
    }
}

#[test]
fn a_rule_needs_a_condition_and_an_action_and_a_valid_pattern() {
    let none = check_rule("r", &Conditions::default(), &Actions::default()).expect_err("empty");
    let fields: Vec<&str> = none.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["when", "then"]);
    let bad = check_rule(
        "",
        &Conditions {
            description_matches: Some("(unclosed".into()),
            amount_min: Some("10".into()),
            amount_max: Some("-10".into()),
            account: Some("not-an-id".into()),
            currency: Some("XXX1".into()),
            ..Conditions::default()
        },
        &Actions {
            add_tags: vec!["No Spaces".into()],
            ..Actions::default()
        },
    )
    .expect_err("bad");
    let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "when.description_matches",
            "when.amount_max",
            "when.account",
            "when.currency",
            "then.add_tags[0]"
        ]
    );
    let huge = compile_pattern("p", "(a{100}){100}{100}").expect_err("too large");
    assert!(huge.errors[0].message.contains("too large"), "{huge}");
    let (_, when, then) = check_rule(
        "Supermarket",
        &contains("REWE"),
        &Actions {
            add_tags: vec!["Food".into(), "food".into()],
            ..category("groceries")
        },
    )
    .expect("valid");
    assert_eq!(when.description_contains.as_deref(), Some("REWE"));
    assert_eq!(then.add_tags, ["food"]);
}

#[test]
fn the_first_matching_rule_per_field_wins_and_tags_add_up() {
    let account = AccountId::random();
    let first = rule(
        1,
        contains("rewe"),
        Actions {
            add_tags: vec!["shop".into()],
            ..category("groceries")
        },
    );
    let second = rule(
        2,
        Conditions {
            description_matches: Some("^REWE SAGT DANKE [0-9]+$".into()),
            ..Conditions::default()
        },
        Actions {
            category: Some("never".into()),
            description: Some("REWE".into()),
            add_tags: vec!["food".into()],
        },
    );
    let other = rule(3, contains("bakery"), category("bread"));
    let book = RuleBook::new(vec![first.clone(), second, other]);

    let mut m = movement(account, -4_530, "REWE SAGT DANKE 4411");
    book.categorise(&mut m, false);
    assert_eq!(m.category.as_deref(), Some("groceries"));
    assert_eq!(m.description, "REWE");
    assert_eq!(m.tags, ["food", "shop"]);
    assert_eq!(m.rule_id, Some(first.id));

    // A category the request sent is kept; the rest still applies.
    let mut sent = movement(account, -100, "rewe to go");
    sent.category = Some("lunch".into());
    book.categorise(&mut sent, true);
    assert_eq!(sent.category.as_deref(), Some("lunch"));
    assert_eq!(sent.tags, ["shop"]);

    let mut untouched = movement(account, -100, "Cinema");
    book.categorise(&mut untouched, false);
    assert_eq!(untouched, {
        let mut same = untouched.clone();
        same.rule_id = None;
        same
    });
    assert_eq!(untouched.rule_id, None);
}

#[test]
fn amounts_accounts_and_currencies_narrow_a_rule() {
    let account = AccountId::random();
    let when = Conditions {
        amount_min: Some("-50".into()),
        amount_max: Some("-10.005".into()),
        account: Some(account.to_string()),
        currency: Some("EUR".into()),
        ..Conditions::default()
    };
    let r = rule(1, when, category("mid"));
    let try_on = |minor: i64, on: AccountId| {
        r.matches(&Candidate {
            description: "x",
            amount: Money::from_minor(minor, Currency::parse("EUR").expect("EUR")),
            account: on,
        })
    };
    assert!(try_on(-5_000, account));
    assert!(try_on(-1_001, account));
    assert!(!try_on(-1_000, account), "-10.00 is above -10.005");
    assert!(!try_on(-5_001, account));
    assert!(!try_on(-2_000, AccountId::random()));
}

#[test]
fn a_change_to_existing_movements_respects_categories_splits_and_legs() {
    let account = AccountId::random();
    let r = rule(1, contains("rewe"), category("groceries"));
    let plain = movement(account, -100, "REWE");
    let after = r.change(&plain, false).expect("changed");
    assert_eq!(after.category.as_deref(), Some("groceries"));
    assert_eq!(after.rule_id, Some(r.id));
    let mut set = plain.clone();
    set.category = Some("food".into());
    assert_eq!(r.change(&set, false), None);
    assert_eq!(
        r.change(&set, true).and_then(|m| m.category),
        Some("groceries".into())
    );
    let mut leg = plain.clone();
    leg.transfer_id = Some(crate::domain::TransferId::random());
    assert_eq!(r.change(&leg, true), None);
    let mut done = plain;
    done.category = Some("groceries".into());
    assert_eq!(r.change(&done, true), None, "already so: no change");
}

/// The plain reading of the contract: for each field, the first matching rule (in
/// position order) that names it; tags of every matching rule; the first rule that
/// changed anything as `rule_id`.
fn model(rules: &[Rule], m: &Movement, category_sent: bool) -> Movement {
    let account = m.account_id;
    let matching: Vec<&Rule> = rules
        .iter()
        .filter(|r| {
            r.matches(&Candidate {
                description: &m.description,
                amount: m.amount,
                account,
            })
        })
        .collect();
    let mut out = m.clone();
    let keep_category = category_sent || m.category.is_some() || m.splits.is_some();
    let category_rule = matching.iter().find(|r| r.then.category.is_some());
    let description_rule = matching.iter().find(|r| r.then.description.is_some());
    if !keep_category && let Some(r) = category_rule {
        out.category = r.then.category.clone();
    }
    if let Some(r) = description_rule {
        out.description = r.then.description.clone().unwrap_or_default();
    }
    let mut tags = m.tags.clone();
    for r in &matching {
        tags = crate::domain::with_tags(&tags, &r.then.add_tags);
    }
    out.tags = tags;
    out.rule_id = matching
        .iter()
        .find(|r| {
            let sets_category = !keep_category
                && category_rule.is_some_and(|c| c.id == r.id)
                && m.category != r.then.category;
            let sets_description = description_rule.is_some_and(|d| d.id == r.id)
                && r.then.description.as_deref() != Some(m.description.as_str());
            let adds_tag = r.then.add_tags.iter().any(|t| !m.tags.contains(t));
            sets_category || sets_description || adds_tag
        })
        .map(|r| r.id);
    out
}

fn words() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["rewe", "REWE", "bakery", "rent", "café", "x"]).prop_map(String::from)
}

/// Minor units of a two-digit currency as a decimal string.
fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

fn conditions() -> impl Strategy<Value = Conditions> {
    (
        prop::option::of(words()),
        prop::option::of(prop::sample::select(vec!["^R", "(?i)rent", "é"])),
        prop::option::of(-300i64..300),
        prop::option::of(-300i64..300),
    )
        .prop_map(|(contains, matches, min, max)| Conditions {
            description_contains: contains,
            description_matches: matches.map(String::from),
            amount_min: min.map(decimal),
            amount_max: max.map(decimal),
            ..Conditions::default()
        })
}

fn actions() -> impl Strategy<Value = Actions> {
    (
        prop::option::of(prop::sample::select(vec!["food", "home", "rent"])),
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..3),
        prop::option::of(prop::sample::select(vec!["REWE", "Rent", "x"])),
    )
        .prop_map(|(category, tags, description)| Actions {
            category: category.map(String::from),
            add_tags: crate::domain::with_tags(
                &[],
                &tags.into_iter().map(String::from).collect::<Vec<_>>(),
            ),
            description: description.map(String::from),
        })
}

proptest! {
    #[test]
    fn categorise_equals_the_plain_model(
        ruleset in prop::collection::vec((conditions(), actions()), 0..6),
        description in words(),
        amount in -300i64..300,
        category in prop::option::of(prop::sample::select(vec!["mine", "food"])),
        category_sent in any::<bool>(),
        tags in prop::collection::vec(prop::sample::select(vec!["a", "z"]), 0..2),
    ) {
        let account = AccountId::random();
        let rules: Vec<Rule> = ruleset
            .into_iter()
            .enumerate()
            .map(|(i, (when, then))| rule(i as u32 + 1, when, then))
            .collect();
        let mut m = movement(account, amount, &description);
        m.category = category.map(String::from);
        m.tags = crate::domain::with_tags(&[], &tags.into_iter().map(String::from).collect::<Vec<_>>());
        let expected = model(&rules, &m, category_sent);
        let mut got = m.clone();
        RuleBook::new(rules).categorise(&mut got, category_sent);
        prop_assert_eq!(got, expected);
    }
}
