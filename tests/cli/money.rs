//! The CLI's rates, search, reports, budgets and schedules.

use super::*;

#[test]
pub(super) fn rates_convert_the_overview_into_one_currency() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Yen", "--currency", "JPY"]);
    w.ok(&["account", "create", "Pounds", "--currency", "GBP"]);
    w.ok(&["add-movement", "Bank", "100", "-d", "pay"]);
    w.ok(&["add-movement", "Yen", "16312", "-d", "pay"]);
    w.ok(&["add-movement", "Pounds", "10", "-d", "pay"]);
    let file = w.write(
        "eurofxref-hist.csv",
        "Date,USD,JPY,CYP,\n2026-11-20,1.0842,163.12,N/A,\n2026-11-19,1.0810,N/A,N/A,\n",
    );
    let done = w.ok(&["rates", "import", path(&file)]);
    assert!(done.contains("Imported 3 new rate(s), updated 0"), "{done}");
    assert!(done.contains("Skipped withdrawn currencies: CYP"), "{done}");
    let again = w.json(&["rates", "import", path(&file)]);
    assert_eq!(
        (again["added"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(3))
    );

    // Pounds have no rate: named, and left out of the amount.
    let overview = w.ok(&["overview", "--currency", "EUR", "--as-of", "2026-11-20"]);
    assert!(
        overview.contains("Net worth: 200.00 EUR (rates of 2026-11-20)"),
        "{overview}"
    );
    assert!(
        overview.contains("no rate to EUR on or before 2026-11-20: GBP"),
        "{overview}"
    );
    let set = w.ok(&["rates", "set", "EUR", "GBP", "0.87", "--date", "2026-11-20"]);
    assert!(set.contains("1 EUR = 0.87 GBP"), "{set}");
    let me = w.json(&["overview", "--currency", "EUR", "--as-of", "2026-11-20"]);
    assert_eq!(me["net_worth"]["amount"], "211.49");
    assert_eq!(me["net_worth"]["missing"], serde_json::json!([]));

    let listed = w.json(&["rates", "list", "--quote", "USD"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
    let table = w.ok(&["rates", "list", "--limit", "1"]);
    assert!(table.contains("--all"), "{table}");

    // The base currency is what the overview converts to.
    assert!(
        w.ok(&["config", "base-currency"])
            .contains("No base currency")
    );
    w.ok(&["config", "base-currency", "USD"]);
    let me = w.json(&["overview"]);
    assert_eq!(me["user"]["base_currency"], "USD");
    assert_eq!(me["net_worth"]["currency"], "USD");
    w.ok(&["config", "base-currency", "--clear"]);
    // Without a base currency the net worth is still shown (issue 26): in the currency most
    // accounts use, here a tie of one account each, so the earliest code.
    let me = w.json(&["overview", "--as-of", "2026-11-20"]);
    assert_eq!(me["net_worth"]["currency"], "EUR");
    assert_eq!(me["net_worth"]["amount"], "211.49");
    let text = w.ok(&["overview", "--as-of", "2026-11-20"]);
    assert!(text.contains("Net worth: 211.49 EUR"), "{text}");
    assert!(text.contains("most of your accounts use"), "{text}");

    // Bad input is one line and writes nothing.
    let same = w.fails(&["rates", "set", "EUR", "EUR", "1"], 1);
    assert!(same.contains("quote"), "{same}");
    let bad = w.write("bad.csv", "Date,CHF\n2026-11-01,1\n2026-11-02,x\n");
    let refused = w.fails(&["rates", "import", path(&bad)], 1);
    assert!(
        refused.contains("line 3") && refused.contains("nothing was imported"),
        "{refused}"
    );
    assert!(
        w.ok(&["rates", "list", "--quote", "CHF"])
            .contains("No rates")
    );
    w.ok(&["rates", "delete", "EUR", "GBP", "2026-11-20"]);
    w.fails(&["rates", "delete", "EUR", "GBP", "2026-11-20"], 1);
    w.fails(&["config", "base-currency", "euro"], 1);
}

#[test]
pub(super) fn search_categories_reports_and_budgets() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Yen", "--currency", "JPY"]);
    w.ok(&[
        "add-movement",
        "Bank",
        "2000",
        "-d",
        "Salary",
        "--date",
        "2026-10-31",
    ]);
    w.ok(&[
        "add-movement",
        "Bank",
        "-12.50",
        "-d",
        "Lunch at Café",
        "-c",
        "food",
        "--date",
        "2026-11-02",
    ]);
    w.ok(&[
        "add-movement",
        "Yen",
        "-1200",
        "-d",
        "LUNCH Tokyo",
        "-c",
        "food",
        "--date",
        "2026-11-03",
    ]);

    let found = w.ok(&["search", "lunch"]);
    let lines: Vec<&str> = found.lines().collect();
    assert_eq!(lines.len(), 3, "{found}");
    assert!(
        lines[1].contains("Yen") && lines[2].contains("Bank"),
        "{found}"
    );
    let only = w.json(&["search", "lunch", "--account", "Bank"]);
    assert_eq!(only.as_array().map(Vec::len), Some(1), "{only}");
    let big = w.json(&["search", "--max", "-100", "--category", "food"]);
    assert_eq!(big[0]["description"], "LUNCH Tokyo");
    let bad = w.fails(&["search", "--min", "10", "--max", "1"], 1);
    assert!(bad.contains("min"), "{bad}");

    let cats = w.json(&["categories"]);
    assert_eq!(cats["items"][0]["name"], "food");
    assert_eq!(cats["items"][1]["name"], Value::Null);

    let flow = w.json(&[
        "report",
        "cash-flow",
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-30",
    ]);
    assert_eq!(flow["periods"].as_array().map(Vec::len), Some(2));
    assert_eq!(flow["periods"][1]["totals"][0]["expense"], "12.50");
    let table = w.ok(&[
        "report",
        "net-worth",
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-30",
    ]);
    assert!(
        table.contains("2026-11-30") && table.contains("1987.50 EUR"),
        "{table}"
    );
    w.fails(&["report", "cash-flow", "--step", "year"], 1);

    assert!(
        w.ok(&["budget", "set", "food", "10", "--currency", "EUR"])
            .contains("10.00 EUR a month")
    );
    let listed = w.ok(&["budget", "--month", "2026-11"]);
    assert!(
        listed.contains("12.50 EUR") && listed.contains("-2.50 EUR") && listed.contains("OVER"),
        "{listed}"
    );
    w.ok(&["budget", "delete", "food"]);
    w.fails(&["budget", "delete", "food"], 1);
    w.fails(&["budget", "--month", "november"], 1);
}

#[test]
pub(super) fn schedules_book_their_dates_once() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    let made = w.json(&[
        "schedule",
        "add",
        "Bank",
        "-700",
        "-d",
        "Rent",
        "--start",
        "2024-01-31",
        "--end",
        "2024-03-31",
        "--every",
        "month",
    ]);
    let id = made["id"].as_str().expect("id").to_string();
    assert_eq!(w.balance("Bank"), "-2100.00", "three months booked at once");
    let rows = w.json(&["movements", "Bank"]);
    let dates: Vec<&str> = rows["items"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|m| m["occurred_on"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(dates, ["2024-03-31", "2024-02-29", "2024-01-31"]);
    assert!(w.ok(&["schedule", "list"]).contains("Rent"));
    // Running again books nothing: each date once.
    assert!(w.ok(&["schedules", "run"]).contains("Booked 0 movement(s)"));
    assert_eq!(w.balance("Bank"), "-2100.00");
    let weekly = w.json(&[
        "schedule",
        "add",
        "Bank",
        "-5",
        "-d",
        "Gym",
        "--every",
        "week",
        "--interval",
        "2",
    ]);
    let wid = weekly["id"].as_str().expect("id").to_string();
    let next = w.json(&["schedule", "upcoming", &wid, "--count", "2"]);
    assert_eq!(next["dates"].as_array().map(Vec::len), Some(2));
    let changed = w.ok(&["schedule", "edit", &wid, "--amount", "-6", "--no-end"]);
    assert!(
        changed.contains("-6.00 EUR") && changed.contains("every 2 weeks"),
        "{changed}"
    );
    w.ok(&["schedule", "delete", &id]);
    w.fails(&["schedule", "delete", &id], 1);
    w.fails(
        &[
            "schedule",
            "add",
            "Bank",
            "-5",
            "-d",
            "x",
            "--every",
            "fortnight",
        ],
        1,
    );
}
