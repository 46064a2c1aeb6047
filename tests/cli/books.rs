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
