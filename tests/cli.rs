//! The real `finance` binary on a temporary SQLite database: every command, bad input
//! included (cli_remote.rs has remote mode against a running server).

#[path = "support/cli_world.rs"]
mod world;

use serde_json::Value;
use world::{World, path};

#[path = "cli/money.rs"]
mod money;

#[path = "cli/corrections.rs"]
mod corrections;

#[path = "cli/leaving.rs"]
mod leaving;

#[path = "cli/sharing.rs"]
mod sharing;

#[path = "cli/categorising.rs"]
mod categorising;

#[path = "cli/books.rs"]
mod books;

#[test]
fn accounts_and_movements_on_the_local_database() {
    let w = World::new();
    assert!(w.ok(&["accounts"]).contains("No accounts yet"));
    assert!(
        w.ok(&["account", "create", "Bank", "--currency", "EUR"])
            .starts_with("Created Bank (EUR)")
    );
    let tokyo = w.json(&["account", "create", "Tokyo trip", "--currency", "JPY"]);
    let tokyo_id = tokyo["id"].as_str().expect("id").to_string();

    let out = w.ok(&[
        "add-movement",
        "Bank",
        "-12.50",
        "--description",
        "Lunch",
        "--category",
        "food",
    ]);
    assert!(
        out.contains("-12.50 EUR") && out.contains("balance -12.50 EUR"),
        "{out}"
    );
    w.ok(&[
        "add-movement",
        "Bank",
        "1000",
        "-d",
        "Salary",
        "--date",
        "2026-11-01",
    ]);
    w.ok(&[
        "add-movement",
        &tokyo_id,
        "5000",
        "-d",
        "Cash",
        "--date",
        "2026-11-02",
    ]);
    assert_eq!(w.balance("Bank"), "987.50");
    assert_eq!(w.balance("Tokyo trip"), "5000");

    // Newest first, aligned, amounts right-aligned with their currency.
    let table = w.ok(&["movements", "Bank"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].starts_with("DATE") && lines[0].contains("AMOUNT"));
    assert!(
        lines[1].contains("  -12.50 EUR  food") && lines[1].ends_with("Lunch"),
        "{table}"
    );
    assert!(lines[2].starts_with("2026-11-01  1000.00 EUR"), "{table}");

    let out = w
        .finance(&["movements", "Bank", "--limit", "1"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--all"));
    let all = w.json(&["movements", "Bank", "--limit", "1", "--all"]);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    let filtered = w.json(&[
        "movements",
        "Bank",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-01",
    ]);
    assert_eq!(filtered["items"][0]["description"], "Salary");

    let overview = w.ok(&["overview"]);
    assert!(
        overview.contains("EUR")
            && overview.contains("987.50 EUR")
            && overview.contains("5000 JPY"),
        "{overview}"
    );
    let profile = w.json(&["overview"]);
    assert_eq!(profile["totals"][0]["balance"], "987.50");
    let accounts = w.json(&["accounts"]);
    assert_eq!(accounts.as_array().map(Vec::len), Some(2));
    assert!(w.ok(&["account", "show", &tokyo_id]).contains("Tokyo trip"));
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["add-movement", "Bank", "10", "-d", "start"]);

    let dup = w.fails(&["account", "create", "Bank", "--currency", "EUR"], 1);
    assert!(dup.contains("already exists"), "{dup}");
    assert!(
        w.fails(&["account", "create", "X", "--currency", "EURO"], 1)
            .contains("currency")
    );
    for bad in [["1.999", "x"], ["0", "x"], ["abc", "x"], ["1", ""]] {
        w.fails(&["add-movement", "Bank", bad[0], "-d", bad[1]], 1);
    }
    assert!(
        w.fails(
            &[
                "add-movement",
                "Bank",
                "1",
                "-d",
                "x",
                "--date",
                "2026-02-30"
            ],
            1
        )
        .contains("occurred_on")
    );
    assert!(w.fails(&["movements", "Nope"], 1).contains("Nope"));
    assert!(
        w.fails(&["movements", "Bank", "--limit", "500"], 1)
            .contains("limit")
    );
    assert!(
        w.fails(&["accounts", "--user", "not-an-email"], 1)
            .contains("not-an-email")
    );
    assert_eq!(w.balance("Bank"), "10.00");
    assert_eq!(
        w.json(&["movements", "Bank"])["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Usage errors exit with 2.
    w.fails(&["movements"], 2);
    w.fails(&["add-movement", "Bank", "1"], 2);
    w.fails(&["frobnicate"], 2);
    w.fails(&["accounts", "--no-such-flag"], 2);
    w.fails(&["completions", "no-shell"], 2);
}

#[test]
fn users_have_separate_books() {
    let w = World::new();
    w.ok(&[
        "--user",
        "ada@example.com",
        "account",
        "create",
        "Mine",
        "--currency",
        "EUR",
    ]);
    let bob = w
        .finance(&["accounts", "--json"])
        .env("FINANCE_USER", "bob@example.com")
        .output()
        .expect("runs");
    assert_eq!(
        serde_json::from_slice::<Value>(&bob.stdout).expect("json"),
        serde_json::json!([])
    );
    let ada = w.json(&["accounts", "--user", "ADA@example.com"]);
    assert_eq!(ada[0]["name"], "Mine");
}

#[test]
fn import_is_all_or_nothing_and_export_round_trips() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Copy", "--currency", "EUR"]);
    let good = w.write(
        "good.csv",
        "date,amount,description,category\n2026-10-01,-5.00,Coffee,food\n\n2026-10-02,20,\"Refund, partial\",\n2026-10-03,100.5,Salary,work\n",
    );
    let out = w.ok(&["import", "Bank", path(&good)]);
    assert!(
        out.contains("Imported 3") && out.contains("115.50"),
        "{out}"
    );
    // The same file again: nothing doubles.
    let again = w.ok(&["import", "Bank", path(&good)]);
    assert!(
        again.contains("Imported 0") && again.contains("3 already there"),
        "{again}"
    );
    let qif = w.write("bank.txt", "!Type:Bank\nD10/09/2026\nT-1.50\nPBus\n^\n");
    let out = w.ok(&["import", "Bank", path(&qif), "--format", "qif"]);
    assert!(
        out.contains("Imported 1") && out.contains("114.00"),
        "{out}"
    );
    w.fails(&["import", "Bank", path(&qif), "--format", "xls"], 1);

    let bad = w.write(
        "bad.csv",
        "2026-10-04,1,ok\n2026-10-05,1,ok\n2026-10-06,1.001,too precise\n",
    );
    let err = w.fails(&["import", "Bank", path(&bad)], 1);
    assert!(
        err.contains("line 3") && err.contains("amount") && err.contains("nothing was imported"),
        "{err}"
    );
    let short = w.write("short.csv", "2026-10-04,1,ok\n2026-10-05,1\n");
    assert!(
        w.fails(&["import", "Bank", path(&short)], 1)
            .contains("line 2")
    );
    assert!(
        w.fails(&["import", "Bank", "/no/such/file.csv"], 1)
            .contains("/no/such/file.csv")
    );
    assert_eq!(w.balance("Bank"), "114.00");
    assert_eq!(
        w.json(&["movements", "Bank"])["items"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );

    // What export writes, import reads back to the same movements.
    let csv = w.ok(&["export", "Bank"]);
    assert!(
        csv.starts_with("date,amount,description,category\n2026-10-01,-5.00,Coffee,food\n"),
        "{csv}"
    );
    assert!(csv.contains("\"Refund, partial\""));
    let copy = w.write("export.csv", &csv);
    w.ok(&["import", "Copy", path(&copy)]);
    assert_eq!(w.balance("Copy"), "114.00");
    assert_eq!(w.ok(&["export", "Copy"]), csv);
}

/// A description or category a spreadsheet would run as a formula is exported starting
/// with `'`; amounts stay numbers; the file imports back as it was (issue 25).
#[test]
fn exported_text_cells_never_run_as_formulas() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Copy", "--currency", "EUR"]);
    for (amount, text, category) in [
        (
            "-1.00",
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "@risk",
        ),
        ("2.00", "+33 6 12 34 56 78", "-minus"),
        ("-3.00", "Coffee", "food"),
    ] {
        // `--name=value`: a value starting with `-` is not taken for an option.
        let text = format!("--description={text}");
        let category = format!("--category={category}");
        w.ok(&[
            "add-movement",
            "Bank",
            amount,
            &text,
            &category,
            "--date",
            "2026-10-01",
        ]);
    }
    let csv = w.ok(&["export", "Bank"]);
    assert!(
        csv.contains(
            "2026-10-01,-1.00,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",'@risk\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("2026-10-01,2.00,'+33 6 12 34 56 78,'-minus\n"),
        "{csv}"
    );
    assert!(csv.contains("2026-10-01,-3.00,Coffee,food\n"), "{csv}");
    let copy = w.write("export.csv", &csv);
    w.ok(&["import", "Copy", path(&copy)]);
    assert_eq!(w.ok(&["export", "Copy"]), csv);
    let items = w.json(&["movements", "Copy"])["items"].clone();
    assert!(
        items
            .as_array()
            .expect("items")
            .iter()
            .any(|m| m["description"] == "=HYPERLINK(\"http://evil.example\",\"x\")"),
        "{items}"
    );
}

/// Totals past `i64` are shown exactly, in the table and in JSON.
#[test]
fn the_overview_shows_totals_past_i64() {
    let w = World::new();
    for name in ["A", "B"] {
        w.ok(&["account", "create", name, "--currency", "EUR"]);
        w.ok(&[
            "add-movement",
            name,
            "92233720368547758.07",
            "-d",
            "a fortune",
        ]);
    }
    assert!(w.ok(&["overview"]).contains("184467440737095516.14 EUR"));
    let json = w.json(&["overview"]);
    assert_eq!(json["totals"][0]["balance"], "184467440737095516.14");
}

/// Table and hint share a terminal: every table line ends before the hint starts.
#[test]
fn the_more_hint_comes_on_a_line_of_its_own() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    for i in 1..=3 {
        w.ok(&["add-movement", "Bank", &format!("-{i}"), "-d", "x"]);
    }
    let both = w.data.path().join("both.txt");
    let file = std::fs::File::create(&both).expect("file");
    let status = w
        .finance(&["movements", "Bank", "--limit", "2"])
        .stdout(file.try_clone().expect("clone"))
        .stderr(file)
        .status()
        .expect("runs");
    assert!(status.success());
    let text = std::fs::read_to_string(&both).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some("(more movements: use --all, or a larger --limit)"),
        "{text:?}"
    );
    assert_eq!(lines.len(), 4, "header, two rows, the hint: {text:?}");
    assert!(text.ends_with('\n'));
}

#[test]
fn completions_are_printed() {
    let w = World::new();
    let script = w.ok(&["completions", "bash"]);
    assert!(
        script.contains("add-movement") && script.contains("_finance"),
        "{script}"
    );
}
