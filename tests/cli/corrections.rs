//! The CLI's corrections and transfers.

use super::*;

#[test]
pub(super) fn accounts_are_renamed_archived_and_deleted() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Spare", "--currency", "EUR"]);
    w.ok(&["add-movement", "Bank", "10", "-d", "start"]);

    assert!(
        w.ok(&["account", "rename", "Bank", "Savings"])
            .contains("Savings")
    );
    assert_eq!(w.balance("Savings"), "10.00");
    let taken = w.fails(&["account", "rename", "Savings", "Spare"], 1);
    assert!(taken.contains("already exists"), "{taken}");

    w.ok(&["account", "archive", "Savings"]);
    let refused = w.fails(&["add-movement", "Savings", "1", "-d", "late"], 1);
    assert!(refused.contains("archived"), "{refused}");
    let listed = w.ok(&["accounts"]);
    assert!(
        !listed.contains("Savings") && listed.contains("Spare"),
        "{listed}"
    );
    let all = w.ok(&["accounts", "--all"]);
    assert!(all.contains("Savings (archived)"), "{all}");
    assert!(
        w.ok(&["overview"]).contains("10.00"),
        "archived still counts"
    );
    w.ok(&["account", "archive", "Savings", "--unarchive"]);
    w.ok(&["add-movement", "Savings", "1", "-d", "again"]);
    assert_eq!(w.balance("Savings"), "11.00");

    let used = w.fails(&["account", "delete", "Savings"], 1);
    assert!(
        used.contains("has movements") && used.contains("archive"),
        "{used}"
    );
    assert!(
        w.ok(&["account", "delete", "Spare"])
            .contains("Deleted Spare")
    );
    let gone = w.fails(&["account", "show", "Spare"], 1);
    assert!(!gone.is_empty());
    let json = w.json(&["accounts", "--all"]);
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{json}");
}

#[test]
pub(super) fn movements_are_shown_corrected_and_deleted() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["add-movement", "Bank", "100", "-d", "pay"]);
    let added = w.json(&["add-movement", "Bank", "-9.99", "-d", "Typo", "-c", "misc"]);
    let id = added["id"].as_str().expect("id").to_string();

    let shown = w.ok(&["movement", "show", &id]);
    assert!(
        shown.contains("Typo") && shown.contains("-9.99") && shown.contains("misc"),
        "{shown}"
    );
    let edited = w.ok(&[
        "movement",
        "edit",
        &id,
        "--amount",
        "-19.99",
        "-d",
        "Books",
        "--no-category",
    ]);
    assert!(
        edited.contains("Books") && edited.contains("80.01"),
        "{edited}"
    );
    let json = w.json(&["movement", "show", &id]);
    assert_eq!(
        (json["amount"].as_str(), json["category"].is_null()),
        (Some("-19.99"), true)
    );
    assert_eq!(w.balance("Bank"), "80.01");

    let bad = w.fails(&["movement", "edit", &id, "--amount", "1.001"], 1);
    assert!(bad.contains("amount"), "{bad}");
    assert!(
        w.fails(&["movement", "show", "not-an-id"], 1)
            .contains("not a movement id")
    );
    let missing = w.fails(&["movement", "show", &uuid::Uuid::new_v4().to_string()], 1);
    assert!(missing.contains("no movement"), "{missing}");

    assert!(w.ok(&["movement", "delete", &id]).contains("Deleted"));
    assert_eq!(w.balance("Bank"), "100.00");
    w.fails(&["movement", "show", &id], 1);
}

#[test]
pub(super) fn money_is_transferred_between_accounts() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Savings", "--currency", "EUR"]);
    w.ok(&["account", "create", "Yen", "--currency", "JPY"]);
    w.ok(&["add-movement", "Bank", "100", "-d", "pay"]);

    let moved = w.ok(&["transfer", "Bank", "Savings", "25", "-d", "saving"]);
    assert!(
        moved.contains("Moved 25.00 EUR from Bank to Savings"),
        "{moved}"
    );
    assert_eq!(
        (w.balance("Bank"), w.balance("Savings")),
        ("75.00".into(), "25.00".into())
    );
    // The legs are marked in the table, as the dashboard marks them.
    let table = w.ok(&["movements", "Savings"]);
    assert!(table.contains("⇄ saving"), "{table}");
    let needs = w.fails(&["transfer", "Bank", "Yen", "10", "-d", "trip"], 1);
    assert!(needs.contains("to_amount"), "{needs}");
    let cross = w.json(&[
        "transfer",
        "Bank",
        "Yen",
        "10",
        "--to-amount",
        "1625",
        "-d",
        "trip",
    ]);
    assert_eq!(cross["rate"], "162.500000");
    assert_eq!(w.balance("Yen"), "1625");
    let leg = cross["to"]["id"].as_str().expect("leg id").to_string();
    let refused = w.fails(&["movement", "delete", &leg], 1);
    assert!(refused.contains("transfer"), "{refused}");
    w.fails(&["transfer", "Bank", "Nowhere", "1", "-d", "x"], 1);
}
