//! Splits, tags and rules from the command line, local mode.

use super::*;

#[test]
pub(super) fn a_split_receipt_tags_and_a_rule_that_categorises_an_import() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    let out = w.ok(&[
        "add-movement",
        "Bank",
        "-57.30",
        "-d",
        "Supermarket",
        "--split",
        "food:-45.30",
        "--split",
        "household:-12.00",
        "--tag",
        "Weekly",
    ]);
    assert!(out.contains("Recorded -57.30 EUR"), "{out}");
    assert_eq!(w.balance("Bank"), "-57.30");
    let table = w.ok(&["movements", "Bank"]);
    assert!(
        table.contains("food+household") && table.contains("Supermarket #weekly"),
        "{table}"
    );
    let listed = w.json(&["movements", "Bank"]);
    let m = &listed["items"][0];
    assert_eq!(m["splits"][1]["category"], "household", "{m}");
    assert_eq!(m["tags"], serde_json::json!(["weekly"]));
    // Parts that do not sum: refused with the reason, nothing written.
    let refused = w.fails(
        &[
            "add-movement",
            "Bank",
            "-10",
            "-d",
            "x",
            "--split",
            "a:-4",
            "--split",
            "b:-5",
        ],
        1,
    );
    assert!(refused.contains("splits"), "{refused}");
    w.fails(
        &[
            "add-movement",
            "Bank",
            "-10",
            "-d",
            "x",
            "--split",
            "no-colon",
        ],
        2,
    );
    let tags = w.ok(&["tags"]);
    assert!(tags.contains("weekly") && tags.contains('1'), "{tags}");

    // Edit: new tags, then no longer split.
    let id = m["id"].as_str().expect("id").to_string();
    w.ok(&["movement", "edit", &id, "--tag", "trip", "--tag", "food"]);
    let shown = w.json(&["movement", "show", &id]);
    assert_eq!(shown["tags"], serde_json::json!(["food", "trip"]));
    w.ok(&["movement", "edit", &id, "--no-split", "--category", "shop"]);
    let shown = w.json(&["movement", "show", &id]);
    assert_eq!(
        (shown["splits"].is_null(), shown["category"].as_str()),
        (true, Some("shop"))
    );
    let found = w.json(&["search", "--tag", "trip"]);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");

    // A rule, then a file: every REWE row is groceries, renamed.
    let out = w.ok(&[
        "rule",
        "add",
        "REWE",
        "--when-contains",
        "REWE SAGT",
        "--set-category",
        "groceries",
        "--set-description",
        "REWE",
    ]);
    assert!(out.contains("is number 1"), "{out}");
    let file = w.write(
        "bank.csv",
        "date,amount,description\n2026-11-01,-45.30,REWE SAGT DANKE 4411\n2026-11-02,-3.10,Bakery\n",
    );
    w.ok(&["import", "Bank", path(&file)]);
    let groceries = w.json(&["search", "--category", "groceries"]);
    assert_eq!(groceries[0]["description"], "REWE", "{groceries}");
    let rules = w.ok(&["rules"]);
    assert!(
        rules.contains("contains \"REWE SAGT\"") && rules.contains("category groceries"),
        "{rules}"
    );

    // Preview and apply a rule to what is there already.
    w.ok(&[
        "rule",
        "add",
        "Bakery",
        "--when-contains",
        "bakery",
        "--set-category",
        "bread",
    ]);
    let preview = w.ok(&["rule", "preview", "Bakery"]);
    assert!(
        preview.contains("Bakery") && preview.contains("→ bread"),
        "{preview}"
    );
    let out = w.ok(&["rule", "apply", "Bakery"]);
    assert!(out.contains("changed 1 movement."), "{out}");
    let out = w.ok(&["rule", "apply", "Bakery"]);
    assert!(out.contains("changed 0 movements."), "{out}");
    w.ok(&["rule", "move", "Bakery", "1"]);
    let order = w.json(&["rules"]);
    assert_eq!(order["items"][0]["name"], "Bakery", "{order}");
    w.ok(&["rule", "delete", "REWE"]);
    assert_eq!(
        w.json(&["rules"])["items"].as_array().map(Vec::len),
        Some(1)
    );
    let bad = w.fails(
        &[
            "rule",
            "add",
            "Bad",
            "--when-matches",
            "(unclosed",
            "--set-category",
            "x",
        ],
        1,
    );
    assert!(bad.contains("regular expression"), "{bad}");
}
