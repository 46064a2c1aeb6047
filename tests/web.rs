//! The web app (DESIGN.md, "In the browser") in a real Chromium driven through
//! chromedriver, on both engines: sign in through the mailed code, keep an account
//! (add, edit, delete with the ETag, search, load more, transfer, bank files), share it and
//! see it from the second user's browser, sign out. Screenshots of the overview and an
//! account page at 375 and 1280 px go to `target/tmp/web-screenshots`. Without Debian's
//! chromium and chromium-driver the browser tests say they were skipped; the checks over
//! plain HTTP (CSRF, headers, cookies) run anyway.

#[path = "web/driver.rs"]
mod driver;
#[path = "web/flow.rs"]
mod flow;
#[path = "web/http.rs"]
mod http;
#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;
#[path = "web/shared.rs"]
mod shared;

use driver::{Browser, Driver};
use flow::{accessible, no_policy_violations, row, rows, screenshot_both, sign_in};
use server::{Backend, Server, email, skip};

/// The server on `backend` and a chromedriver, or `None` after saying what was skipped.
/// CI (`FINANCE_TEST_REQUIRE_BROWSER`) fails instead of skipping. Under `scale/run.sh`
/// the browser tests are left to the main run: they start servers of their own, and the
/// balancer gets the HTTP checks.
async fn start(backend: Backend) -> Option<(Server, Driver)> {
    if std::env::var_os("FINANCE_TEST_BALANCER_URL").is_some() {
        skip("browser tests under the balancer (they ran in the main pass)");
        return None;
    }
    let s = Server::start_alone(backend, &[]).await?;
    let required = std::env::var_os("FINANCE_TEST_REQUIRE_BROWSER").is_some();
    match Driver::start().await {
        Some(d) => Some((s, d)),
        None if required => {
            panic!("FINANCE_TEST_REQUIRE_BROWSER is set and chromium or chromedriver is missing")
        }
        None => {
            skip("browser tests (install Debian's chromium and chromium-driver to run them)");
            None
        }
    }
}

#[tokio::test]
async fn keeping_an_account_in_the_browser_on_sqlite() {
    if let Some((s, d)) = start(Backend::Embedded).await {
        keeping_an_account(&s, &d, "sqlite").await;
    }
}

#[tokio::test]
async fn keeping_an_account_in_the_browser_on_postgres() {
    if let Some((s, d)) = start(Backend::Postgres).await {
        keeping_an_account(&s, &d, "postgres").await;
    }
}

#[tokio::test]
async fn sharing_in_two_browsers_on_sqlite() {
    if let Some((s, d)) = start(Backend::Embedded).await {
        shared::two_browsers(&s, &d).await;
    }
}

#[tokio::test]
async fn sharing_in_two_browsers_on_postgres() {
    if let Some((s, d)) = start(Backend::Postgres).await {
        shared::two_browsers(&s, &d).await;
    }
}

#[tokio::test]
async fn forms_without_their_token_write_nothing_on_sqlite() {
    let s = Server::start_alone(Backend::Embedded, &[])
        .await
        .expect("server");
    http::forms_need_their_token(&s).await;
    http::pages_keep_their_policy(&s).await;
}

/// Through the balancer under `scale/run.sh` (each request may reach another server: the
/// session and its CSRF token hold on all of them), else on one server with Redis and SMTP.
#[tokio::test]
async fn forms_without_their_token_write_nothing_on_the_services() {
    if let Some(s) = Server::start(Backend::Services, &[]).await {
        http::forms_need_their_token(&s).await;
        http::pages_keep_their_policy(&s).await;
    }
}

#[tokio::test]
async fn forms_without_their_token_write_nothing_on_postgres() {
    if let Some(s) = Server::start_alone(Backend::Postgres, &[]).await {
        http::forms_need_their_token(&s).await;
        http::pages_keep_their_policy(&s).await;
    }
}

/// Adds a movement through the form (date left to today unless given).
async fn add(b: &Browser, amount: &str, description: &str, category: &str, on: Option<&str>) {
    b.fill("#amount", amount).await;
    b.fill("#description", description).await;
    b.fill("#category", category).await;
    if let Some(day) = on {
        b.set_date("#occurred_on", day).await;
    }
    b.submit("form[action$='/movements'] button[type=submit]")
        .await;
}

async fn keeping_an_account(s: &Server, d: &Driver, engine: &str) {
    let b = d.browser(1280, 900).await;
    let me = email();
    sign_in(&b, s, &me).await;

    let session = b
        .cookies()
        .await
        .into_iter()
        .find(|c| c["name"] == "finance_session")
        .expect("a session cookie");
    assert_eq!(session["httpOnly"], true);
    assert_eq!(session["sameSite"], "Strict");
    assert_eq!(session["secure"], false, "plain HTTP on loopback");

    // An account, then movements through the form.
    b.fill("#account-name", "Everyday \"café\" #1").await;
    b.fill("#account-currency", "eur").await;
    b.submit("form[action='/accounts'] button[type=submit]")
        .await;
    assert_eq!(b.text("h1").await, "Everyday \"café\" #1");
    let account_url = b.current_url().await;
    add(&b, "-12.50", "Coffee; beans", "food", Some("2026-11-02")).await;
    add(&b, "2500", "Salary", "", Some("2026-11-01")).await;
    add(&b, "-0.5", "Gum", "", None).await;
    let listed = rows(&b).await;
    let amounts: Vec<&str> = listed.iter().map(|r| r.amount.as_str()).collect();
    assert_eq!(amounts, ["-0.50", "-12.50", "2,500.00"], "newest first");
    let balances: Vec<_> = listed.iter().map(|r| r.balance.clone().unwrap()).collect();
    assert_eq!(
        balances,
        ["2,487.00", "2,487.50", "2,500.00"],
        "running balance"
    );
    assert!(b.text(".summary").await.contains("2,487.00 EUR"));

    // A wrong amount is refused with its field named, and the form keeps what was typed.
    b.fill("#amount", "1.234").await;
    b.fill("#description", "Too precise").await;
    b.submit("form[action$='/movements'] button[type=submit]")
        .await;
    assert!(
        b.text("[role=alert]").await.contains("amount"),
        "{}",
        b.text("main").await
    );
    assert_eq!(
        b.execute(
            "return document.querySelector('#description').value",
            serde_json::json!([])
        )
        .await,
        "Too precise"
    );
    assert_eq!(rows(&b).await.len(), 3, "nothing written");

    // Edit with the ETag of what was shown.
    let coffee = row(&b, "Coffee").await;
    b.goto(&format!("{account_url}/movements/{}/edit", coffee.id))
        .await;
    b.fill("#amount", "-13").await;
    b.fill("#tags", "work Trip").await;
    b.submit("main form button[type=submit]").await;
    b.find("table.movements").await;
    let coffee = row(&b, "Coffee").await;
    assert_eq!(coffee.amount, "-13.00");
    assert!(coffee.description.contains("#work") && coffee.description.contains("#trip"));

    // An edit form left open while the movement changed elsewhere is refused, not applied.
    b.goto(&format!("{account_url}/movements/{}/edit", coffee.id))
        .await;
    let other = d.browser(1280, 900).await;
    sign_in(&other, s, &me).await;
    other
        .goto(&format!("{account_url}/movements/{}/edit", coffee.id))
        .await;
    other.fill("#description", "Coffee changed elsewhere").await;
    other.submit("main form button[type=submit]").await;
    other.find("table.movements").await;
    other.close().await;
    b.fill("#amount", "-99").await;
    b.submit("main form button[type=submit]").await;
    assert!(
        b.text("[role=alert]").await.contains("changed"),
        "{}",
        b.text("main").await
    );
    b.goto(&account_url).await;
    let coffee = row(&b, "Coffee changed elsewhere").await;
    assert_eq!(coffee.amount, "-13.00", "the stale edit wrote nothing");

    // Delete.
    let gum = row(&b, "Gum").await;
    b.submit(&format!("#m-{} form button", gum.id)).await;
    b.find("table.movements").await;
    assert!(rows(&b).await.iter().all(|r| r.id != gum.id));
    assert!(b.text(".summary").await.contains("2,487.00 EUR"));

    // Search.
    b.fill("#q", "salary").await;
    b.submit("form.search button").await;
    b.find("table.movements").await;
    let found = rows(&b).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].description, "Salary");
    assert_eq!(
        found[0].balance, None,
        "no running balance in a filtered list"
    );
    b.goto(&account_url).await;

    // Bank files: added, then duplicates, then errors by line.
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("bank.csv");
    std::fs::write(
        &csv,
        "date,amount,description\n2026-10-01,100.00,Opening\n2026-10-02,-20.00,Groceries\n",
    )
    .unwrap();
    for expected in ["2 added, 0 duplicates", "0 added, 2 duplicates"] {
        b.choose_file("#file", &csv).await;
        b.submit("form[action$='/import'] button[type=submit]")
            .await;
        b.wait_for_text("[role=status]", expected).await;
    }
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "date,amount,description\n2026-10-03,12.345,Too precise\nnot a date,1,Bad\n",
    )
    .unwrap();
    b.choose_file("#file", &bad).await;
    b.submit("form[action$='/import'] button[type=submit]")
        .await;
    let errors = b.text("[role=alert]").await;
    assert!(
        errors.contains("line 2") && errors.contains("line 3"),
        "{errors}"
    );
    assert!(
        b.text(".summary").await.contains("2,567.00 EUR"),
        "only the good file counted"
    );

    // A transfer to a second account.
    b.goto(&s.url("/")).await;
    b.fill("#account-name", "Savings").await;
    b.submit("form[action='/accounts'] button[type=submit]")
        .await;
    let savings_url = b.current_url().await;
    b.goto(&account_url).await;
    b.fill("#transfer-amount", "67").await;
    b.fill("#transfer-description", "To savings").await;
    b.submit("form[action$='/transfers'] button[type=submit]")
        .await;
    b.find("table.movements").await;
    assert!(b.text(".summary").await.contains("2,500.00 EUR"));
    b.goto(&savings_url).await;
    assert!(b.text(".summary").await.contains("67.00 EUR"));

    // Load more: 60 more movements, the next page read with the cursor by htmx.
    b.goto(&account_url).await;
    for i in 0..60 {
        add(&b, "-1", &format!("Bulk {i}"), "", Some("2026-09-01")).await;
    }
    assert_eq!(rows(&b).await.len(), 50);
    let before = b.current_url().await;
    b.click("a.more").await;
    for _ in 0..50 {
        if rows(&b).await.len() == 65 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let all = rows(&b).await;
    assert_eq!(all.len(), 65, "every movement after load more");
    assert_eq!(
        b.current_url().await,
        before,
        "htmx swapped the rows in place"
    );
    assert_eq!(all[0].balance.as_deref(), Some("2,440.00"));
    assert_eq!(
        all.last().unwrap().balance.as_deref(),
        Some("-1.00"),
        "the running balance carries on across pages"
    );

    // Screenshots, accessibility and the policy on the main pages.
    b.goto(&s.url("/")).await;
    screenshot_both(&b, &format!("{engine}-overview")).await;
    b.goto(&account_url).await;
    screenshot_both(&b, &format!("{engine}-account")).await;
    b.goto(&s.url("/reports")).await;
    screenshot_both(&b, &format!("{engine}-reports")).await;
    let mut checked = false;
    for page in [
        "/",
        "/reports",
        "/budgets",
        "/rules",
        "/sharing",
        "/settings",
    ] {
        b.goto(&s.url(page)).await;
        b.find("h1").await;
        checked |= accessible(&b, page).await;
        no_policy_violations(&b).await;
    }
    b.goto(&account_url).await;
    checked |= accessible(&b, "account").await;
    no_policy_violations(&b).await;
    if !checked {
        assert!(
            std::env::var_os("FINANCE_TEST_REQUIRE_BROWSER").is_none(),
            "CI runs the accessibility check: set FINANCE_TEST_AXE_JS"
        );
        skip("the axe-core check (set FINANCE_TEST_AXE_JS to axe.min.js from npm's axe-core)");
    }

    // Signing out ends the session: the cookie is gone and the token refused.
    let cookie = format!("finance_session={}", session["value"].as_str().unwrap());
    b.submit("form.signout button").await;
    assert!(b.current_url().await.ends_with("/signin"));
    let res = s
        .http
        .get(s.url("/"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert!(
        res.url().path().ends_with("/signin"),
        "the old cookie is signed out"
    );
    b.close().await;
}
