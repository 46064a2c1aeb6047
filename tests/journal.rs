//! The journal export checked by the real tools (DESIGN.md, "Plaintext accounting"):
//! `hledger check -s`, `ledger --strict balance` and `bean-check` accept it without an
//! error or a warning, and each one's balance of every asset account equals the API's to
//! the minor unit; a `from`/`to` export agrees with the balances on its last day. The data
//! has three currencies (JPY and BHD among them), a transfer across currencies, a split,
//! tags, a rate, a reconciliation, names that need mapping, and descriptions in unicode
//! and with `;`, `"` and `#`. Each export imports into a new user as the same books
//! (`journal/import.rs`).

#[path = "journal/import.rs"]
mod import;
#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, skip, str};

/// The tools, or `None` (with a notice) when one is missing outside CI.
fn tools() -> Option<()> {
    let missing: Vec<&str> = ["hledger", "ledger", "bean-check"]
        .into_iter()
        .filter(|t| Command::new(t).arg("--version").output().is_err())
        .collect();
    if missing.is_empty() {
        return Some(());
    }
    assert!(
        std::env::var("FINANCE_TEST_REQUIRE_JOURNAL_TOOLS").is_err(),
        "missing {missing:?} (CI installs them)"
    );
    skip(&format!("journal checks ({missing:?} not installed)"));
    None
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .expect("the tool runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(out.status.success(), "{cmd} {args:?}: {stderr}{stdout}");
    assert!(stderr.trim().is_empty(), "{cmd} {args:?} warned: {stderr}");
    stdout
}

/// Each asset account's balance as the tool computes it: journal name → "amount CODE".
fn balances(format: &str, file: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match format {
        "hledger" => {
            run("hledger", &["-f", file, "check", "-s"]);
            let csv = run(
                "hledger",
                &["-f", file, "bal", "assets", "--flat", "-N", "-O", "csv"],
            );
            for line in csv.lines().skip(1) {
                let cells: Vec<&str> = line.split(',').map(|c| c.trim_matches('"')).collect();
                out.insert(cells[0].to_string(), cells[1].to_string());
            }
        }
        "ledger" => {
            let text = run(
                "ledger",
                &[
                    "-f",
                    file,
                    "--strict",
                    "balance",
                    "--flat",
                    "--no-total",
                    "assets",
                ],
            );
            for line in text.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                if let [amount, code, account] = parts[..] {
                    out.insert(account.to_string(), format!("{amount} {code}"));
                }
            }
        }
        _ => {
            run("bean-check", &[file]);
            let script = "import sys, collections\n\
                from beancount import loader\n\
                from beancount.core import data\n\
                entries, errors, _ = loader.load_file(sys.argv[1])\n\
                assert not errors, errors\n\
                tot = collections.defaultdict(lambda: collections.defaultdict(int))\n\
                for e in entries:\n\
                \x20   if isinstance(e, data.Transaction):\n\
                \x20       for p in e.postings:\n\
                \x20           if p.account.startswith('Assets:'):\n\
                \x20               tot[p.account][p.units.currency] += p.units.number\n\
                for a, by in tot.items():\n\
                \x20   for c, n in by.items():\n\
                \x20       print(a, n, c)\n";
            let text = run("python3", &["-c", script, file]);
            for line in text.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                if let [account, amount, code] = parts[..] {
                    out.insert(account.to_string(), format!("{amount} {code}"));
                }
            }
        }
    }
    out
}

async fn add(s: &Server, token: &str, account: &str, body: Value) {
    let (status, made, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(token),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
}

/// The books of the module's comment; the accounts' ids in creation order.
async fn books(s: &Server, token: &str) -> [String; 3] {
    let bank = s.create_account(token, "Bank account", "EUR").await;
    let tokyo = s.create_account(token, "Café: 日本", "JPY").await;
    let bahrain = s.create_account(token, "Bank-account", "BHD").await;
    add(s, token, &bank, json!({"amount": "2500", "description": "Salary", "category": "salary", "occurred_on": "2026-11-01"})).await;
    add(s, token, &bank, json!({"amount": "-12.50", "description": "Lunch; \"quoted\" #1 ü", "category": "food", "occurred_on": "2026-11-02", "tags": ["trip"]})).await;
    add(
        s,
        token,
        &tokyo,
        json!({"amount": "-300", "description": "ラーメン", "occurred_on": "2026-11-03"}),
    )
    .await;
    add(s, token, &bahrain, json!({"amount": "-1.250", "description": "fuel", "category": "fuel", "occurred_on": "2026-11-03"})).await;
    let (status, t, _) = s
        .post(
            "/v1/transfers",
            Some(token),
            json!({"from_account": bank, "to_account": tokyo, "amount": "100", "to_amount": "15000",
                   "description": "To Tokyo", "occurred_on": "2026-11-04"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    add(
        s,
        token,
        &bank,
        json!({"amount": "-30", "description": "Groceries", "occurred_on": "2026-11-05",
        "splits": [{"amount": "-20", "category": "food"}, {"amount": "-10", "category": "home"}],
        "tags": ["trip", "tax-2026"]}),
    )
    .await;
    let (status, r, _) = s
        .send(
            Method::PUT,
            "/v1/rates/EUR/USD/2026-11-20",
            Some(token),
            Some(json!({"rate": "1.0842"})),
        )
        .await;
    assert!(status.is_success(), "{r}");
    let (status, r, _) = s
        .post(
            &format!("/v1/accounts/{bank}/reconciliations"),
            Some(token),
            json!({"date": "2026-11-02", "balance": "2487.50"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    add(s, token, &bank, json!({"amount": "-5", "description": "later", "category": "food", "occurred_on": "2026-11-06"})).await;
    [bank, tokyo, bahrain]
}

/// The journal names the three accounts map to, in creation order.
const NAMES: [&str; 3] = ["Bank-account", "Caf", "Bank-account-2"];

async fn export(s: &Server, token: &str, query: &str) -> String {
    let res = s
        .http
        .get(s.url(&format!("/v1/export?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/plain")),
        "{:?}",
        res.headers()
    );
    res.text().await.expect("text")
}

async fn the_tools_accept_the_export_and_agree_with_the_api(backend: Backend) {
    let Some(()) = tools() else { return };
    let Some(s) = Server::start_alone(backend, &[]).await else {
        return;
    };
    let (token, _) = s.sign_in(&email()).await;
    let ids = books(&s, &token).await;
    let dir = tempfile::tempdir().expect("dir");
    for (format, root) in [
        ("hledger", "assets"),
        ("ledger", "assets"),
        ("beancount", "Assets"),
    ] {
        for (query, on) in [
            (format!("format={format}"), None),
            (
                format!("format={format}&from=2026-11-03&to=2026-11-05"),
                Some("2026-11-05"),
            ),
        ] {
            let text = export(&s, &token, &query).await;
            for ((name, original), code) in NAMES
                .iter()
                .zip(["Bank account", "Café: 日本", "Bank-account"])
                .zip(["EUR", "JPY", "BHD"])
            {
                assert!(
                    text.contains(&format!("{root}:{name} {code} = {original}")),
                    "{format}: the mapping of {original}\n{text}"
                );
            }
            let file = dir.path().join(format!("books.{format}"));
            std::fs::write(&file, &text).expect("written");
            let got = balances(format, &file.display().to_string());
            for (id, name) in ids.iter().zip(NAMES) {
                let path = match on {
                    Some(day) => format!("/v1/accounts/{id}/balance?on={day}"),
                    None => format!("/v1/accounts/{id}"),
                };
                let (status, a, _) = s.get(&path, Some(&token)).await;
                assert_eq!(status, StatusCode::OK, "{a}");
                let (_, account, _) = s.get(&format!("/v1/accounts/{id}"), Some(&token)).await;
                let want = format!("{} {}", str(&a["balance"]), str(&account["currency"]));
                assert_eq!(
                    got.get(&format!("{root}:{name}")),
                    Some(&want),
                    "{format} {query}: {got:?}\n{text}"
                );
            }
        }
    }
    // Bad queries write nothing.
    for bad in [
        "format=gnucash",
        "",
        "format=hledger&from=2026-12-01&to=2026-11-01",
        "format=hledger&from=yesterday",
    ] {
        let (status, body, _) = s.get(&format!("/v1/export?{bad}"), Some(&token)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    let (status, _, _) = s.get("/v1/export?format=hledger", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn embedded_exports_check_with_every_tool() {
    the_tools_accept_the_export_and_agree_with_the_api(Backend::Embedded).await;
}

#[tokio::test]
async fn postgres_exports_check_with_every_tool() {
    the_tools_accept_the_export_and_agree_with_the_api(Backend::Postgres).await;
}
