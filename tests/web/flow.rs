//! Steps the browser tests share: signing in through the mailed code, reading the
//! movements table, and the checks every page gets (screenshots, accessibility, console).

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::driver::Browser;
use crate::server::Server;

/// Signs in through the two forms, the code read from the mail; lands on the overview.
pub async fn sign_in(b: &Browser, s: &Server, email: &str) {
    b.goto(&s.url("/")).await;
    assert!(
        b.current_url().await.ends_with("/signin"),
        "a visitor is sent to sign in"
    );
    b.fill("input[name=email]", email).await;
    b.submit("form[action='/signin'] button[type=submit]").await;
    b.find("input[name=code]").await;
    let code = s.inbox.code_for(email);
    b.fill("input[name=code]", &code).await;
    b.submit("form[action='/signin/code'] button[type=submit]")
        .await;
    b.find("h1").await;
    assert_eq!(b.text("h1").await, "Overview", "{}", b.text("main").await);
}

/// The movements on the page, newest first: id, description cell, amount, and the
/// running balance when shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub description: String,
    pub amount: String,
    pub balance: Option<String>,
}

pub async fn rows(b: &Browser) -> Vec<Row> {
    let v = b
        .execute(
            "const running = document.querySelectorAll('table.movements thead th.num').length === 2;
             return [...document.querySelectorAll('table.movements tr[id^=\"m-\"]')].map(r => [
                 r.id.slice(2), r.cells[1].textContent.trim(), r.cells[2].textContent.trim(),
                 running ? r.cells[3].textContent.trim() : null]);",
            json!([]),
        )
        .await;
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| Row {
            id: r[0].as_str().unwrap_or_default().into(),
            description: r[1].as_str().unwrap_or_default().into(),
            amount: r[2].as_str().unwrap_or_default().into(),
            balance: r[3].as_str().map(str::to_string),
        })
        .collect()
}

/// The row whose description starts with `text`.
pub async fn row(b: &Browser, text: &str) -> Row {
    rows(b)
        .await
        .into_iter()
        .find(|r| r.description.starts_with(text))
        .unwrap_or_else(|| panic!("no row {text}"))
}

/// Where the test run writes its screenshots (not committed): `target/tmp/web-screenshots`.
pub fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots")
}

/// Screenshots of the page at both widths, named `<name>-375.png` and `<name>-1280.png`.
pub async fn screenshot_both(b: &Browser, name: &str) {
    for width in [375, 1280] {
        b.resize(width, 900).await;
        b.goto(&b.current_url().await).await;
        b.find("h1").await;
        b.screenshot(&screenshots().join(format!("{name}-{width}.png")))
            .await;
    }
}

/// axe-core (from npm; `FINANCE_TEST_AXE_JS` names its `axe.min.js`) run in the page:
/// the violations found, as `id (impact): help`. `None` when axe is not at hand.
pub async fn axe_violations(b: &Browser) -> Option<Vec<(String, String)>> {
    let path = std::env::var("FINANCE_TEST_AXE_JS").ok()?;
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    b.execute(&format!("{source}\nreturn typeof axe;"), json!([]))
        .await;
    let found = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
                .then(r => done(r.violations.map(v => [v.impact, v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')'])))
                .catch(e => done([['critical', 'axe failed: ' + e]]));",
            json!([]),
        )
        .await;
    Some(
        found
            .as_array()
            .expect("violations")
            .iter()
            .map(|v: &Value| {
                (
                    v[0].as_str().unwrap_or("unknown").to_string(),
                    v[1].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect(),
    )
}

/// Runs axe on the page and fails on a critical violation; `false` when axe is not at
/// hand (said once by the caller).
pub async fn accessible(b: &Browser, page: &str) -> bool {
    let Some(violations) = axe_violations(b).await else {
        return false;
    };
    eprintln!("axe on {page}: {} violation(s)", violations.len());
    for (impact, what) in &violations {
        eprintln!("axe on {page}: {impact}: {what}");
    }
    let critical: Vec<_> = violations
        .iter()
        .filter(|(impact, _)| impact == "critical")
        .collect();
    assert!(
        critical.is_empty(),
        "critical accessibility violations on {page}: {critical:?}"
    );
    true
}

/// The page broke no rule of its Content-Security-Policy (a refused inline script or
/// style shows in the console).
pub async fn no_policy_violations(b: &Browser) {
    let refused: Vec<String> = b
        .console()
        .await
        .into_iter()
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused to"))
        .collect();
    assert!(refused.is_empty(), "the page broke its policy: {refused:?}");
}
