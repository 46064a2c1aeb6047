//! Reconciling, the balance on a day and history from the command line, local mode.

use super::*;

#[test]
pub(super) fn reconcile_after_an_import_then_read_the_history_of_an_edit() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    let csv = w.write(
        "bank.csv",
        "date,amount,description\n2026-11-02,1000,Salary\n2026-11-05,-40,Groceries\n2026-11-09,-12.50,Lunch\n",
    );
    w.ok(&["import", "Bank", path(&csv)]);
    assert!(
        w.ok(&["balance", "Bank", "--on", "2026-11-05"])
            .contains("960.00 EUR"),
        "balance on a day"
    );

    // A statement that does not match: the difference, and the days to look at.
    let out = w
        .finance(&[
            "reconcile",
            "Bank",
            "--date",
            "2026-11-09",
            "--balance",
            "950",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("differs from the ledger by 2.50 EUR"),
        "{said}"
    );
    assert!(
        shown.contains("Lunch") && shown.contains("Groceries"),
        "{shown}"
    );
    assert!(!shown.contains("Salary"), "only the last days: {shown}");

    let out = w.ok(&[
        "reconcile",
        "Bank",
        "--date",
        "2026-11-09",
        "--balance",
        "947.50",
    ]);
    assert!(out.contains("3 movement(s) locked"), "{out}");
    assert!(w.ok(&["reconciliations", "Bank"]).contains("947.50 EUR"));
    assert!(w.ok(&["movements", "Bank"]).contains("✓ Lunch"));
    let lunch = &w.json(&["movements", "Bank"])["items"][0];
    let lunch_id = lunch["id"].as_str().expect("id").to_string();
    assert_eq!(lunch["reconciled"], true);
    let refused = w.fails(&["movement", "edit", &lunch_id, "--amount", "-13"], 1);
    assert!(refused.contains("reconciled"), "{refused}");
    let refused = w.fails(
        &[
            "add-movement",
            "Bank",
            "-1",
            "-d",
            "Late",
            "--date",
            "2026-11-08",
        ],
        1,
    );
    assert!(refused.contains("reconciled"), "{refused}");

    // Undone, the lunch may be corrected; its history tells the story.
    assert!(w.ok(&["reconcile", "Bank", "--undo"]).contains("unlocked"));
    w.ok(&[
        "movement",
        "edit",
        &lunch_id,
        "--amount",
        "-13",
        "--category",
        "food",
    ]);
    let history = w.ok(&["history", "Bank", "--movement", &lunch_id]);
    assert!(
        history.contains("movement updated") && history.contains("amount -12.50 → -13.00"),
        "{history}"
    );
    let all = w.json(&["history", "Bank", "--all"]);
    let kinds: Vec<String> = all
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["entity"].as_str().unwrap_or(""),
                e["action"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "movement updated",
            "reconciliation deleted",
            "reconciliation created",
            "import created",
            "account created"
        ]
    );
    w.fails(&["balance", "Bank", "--on", "someday"], 1);
    w.fails(&["reconcile", "Bank", "--date", "2026-11-09"], 2);
}

/// `finance export --format F` then `finance import-journal` as another local user: the
/// same books in that user's export; a bad journal is refused by line and writes nothing.
#[test]
pub(super) fn a_journal_export_imports_into_the_same_books() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Yen wallet", "--currency", "JPY"]);
    w.ok(&[
        "add-movement",
        "-d",
        "Shop; \"Café\"",
        "-c",
        "food",
        "--tag",
        "trip",
        "--date",
        "2026-11-02",
        "Bank",
        "--",
        "-42.50",
    ]);
    w.ok(&[
        "transfer",
        "Bank",
        "Yen wallet",
        "100",
        "--to-amount",
        "16000",
        "-d",
        "Exchange",
        "--date",
        "2026-11-04",
    ]);
    for format in ["hledger", "beancount"] {
        let first = w.ok(&["export", "--format", format]);
        let file = w.write(&format!("books.{format}"), &first);
        let other = format!("{format}@example.com");
        let said = w.ok(&["--user", &other, "import-journal", path(&file)]);
        assert!(
            said.contains("2 account(s), 1 movement(s), 1 transfer(s)"),
            "{said}"
        );
        let again = w.ok(&["--user", &other, "export", "--format", format]);
        let strip = |t: &str| {
            t.lines()
                .filter(|l| !l.contains("id:") && !l.contains("id: ") && !l.contains("created"))
                .map(|l| l.split("  ; ").next().unwrap_or(l).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&again), strip(&first), "{format}");
        let accounts = w.ok(&["--user", &other, "accounts"]);
        assert!(
            accounts.contains("-142.50 EUR") && accounts.contains("16000 JPY"),
            "{accounts}"
        );
    }
    let bad = w.write(
        "bad.journal",
        "2026-01-01 x\n    assets:a  10 EUR\n    expenses:b  -9 EUR\n",
    );
    let said = w.fails(
        &["--user", "bad@example.com", "import-journal", path(&bad)],
        1,
    );
    assert!(
        said.contains("line 1") && said.contains("nothing was imported"),
        "{said}"
    );
    assert!(
        w.ok(&["--user", "bad@example.com", "accounts"])
            .contains("No accounts yet")
    );
}
