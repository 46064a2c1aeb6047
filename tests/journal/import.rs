//! `POST /v1/imports/journal`: each export imported into a new user gives the same books
//! (the same balances through the API, and an export of them that is the same journal but
//! for the ids); bad journals are refused by line and write nothing.

use reqwest::StatusCode;
use serde_json::Value;

use super::server::{Backend, Server, email, str};
use super::{books, export};

/// `text` with its UUIDs and authors left out: what an import makes anew.
fn without_ids(text: &str) -> String {
    let uuid = |w: &str| {
        w.len() == 36
            && w.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    text.lines()
        .filter(|l| !l.contains("created_by") && !l.contains("created-by"))
        .map(|l| {
            l.split([' ', '"', ':', ','])
                .filter(|w| !uuid(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) async fn import(s: &Server, token: &str, text: &str) -> (StatusCode, Value) {
    let res = s
        .http
        .post(s.url("/v1/imports/journal"))
        .bearer_auth(token)
        .header("content-type", "text/plain; charset=utf-8")
        .body(text.to_string())
        .send()
        .await
        .expect("request");
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Name → "balance currency" of every account of the user.
async fn balances(s: &Server, token: &str) -> Vec<(String, String)> {
    let (status, list, _) = s.get("/v1/accounts", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let mut all: Vec<(String, String)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| {
            (
                str(&a["name"]),
                format!("{} {}", str(&a["balance"]), str(&a["currency"])),
            )
        })
        .collect();
    all.sort();
    all
}

async fn exports_import_into_the_same_books(backend: Backend) {
    let Some(s) = Server::start_alone(backend, &[]).await else {
        return;
    };
    let (ada, _) = s.sign_in(&email()).await;
    books(&s, &ada).await;
    let want = balances(&s, &ada).await;
    for format in ["hledger", "ledger", "beancount"] {
        let first = export(&s, &ada, &format!("format={format}")).await;
        let (bob, _) = s.sign_in(&email()).await;
        let (status, made) = import(&s, &bob, &first).await;
        assert_eq!(status, StatusCode::CREATED, "{format}: {made}");
        assert_eq!(
            made,
            serde_json::json!({"accounts": 3, "movements": 6, "transfers": 1, "reconciliations": 1, "rates": 1}),
            "{format}"
        );
        assert_eq!(balances(&s, &bob).await, want, "{format}");
        let again = export(&s, &bob, &format!("format={format}")).await;
        assert_eq!(without_ids(&again), without_ids(&first), "{format}");
        // The reconciliation came back: its day is locked.
        let (_, list, _) = s.get("/v1/accounts", Some(&bob)).await;
        let bank = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|a| a["name"] == "Bank account")
            .expect("bank");
        assert_eq!(bank["reconciled_on"], "2026-11-02", "{bank}");
        // Imported again: the names are taken, and nothing more is written.
        let (status, refused) = import(&s, &bob, &first).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused["errors"][0]["line"].as_u64().is_some(), "{refused}");
        assert_eq!(balances(&s, &bob).await, want, "{format}");
    }
}

#[tokio::test]
async fn embedded_exports_import_into_the_same_books() {
    exports_import_into_the_same_books(Backend::Embedded).await;
}

#[tokio::test]
async fn postgres_exports_import_into_the_same_books() {
    exports_import_into_the_same_books(Backend::Postgres).await;
}

#[tokio::test]
async fn bad_journals_are_refused_by_line_and_write_nothing() {
    let Some(s) = Server::start_alone(Backend::Embedded, &[]).await else {
        return;
    };
    let (token, _) = s.sign_in(&email()).await;
    let journal = "\
2026-01-01 Fine
    assets:bank  10.00 EUR
    income:salary

2026-01-02 Unbalanced
    assets:bank  -5 EUR
    expenses:food  4 EUR

2026-01-03 * \"Beancount's quotes in hledger's syntax\"
    assets:bank  -1 XYZ
    expenses:food
";
    let (status, problem) = import(&s, &token, journal).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let lines: Vec<u64> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [5, 10], "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("do not balance")),
        "{problem}"
    );
    assert!(balances(&s, &token).await.is_empty());
    for empty in ["", "  \n"] {
        let (status, problem) = import(&s, &token, empty).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    }
    let res = s
        .http
        .post(s.url("/v1/imports/journal"))
        .bearer_auth(&token)
        .body(vec![0xff, 0xfe, 0x00])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let big = "; padding\n".repeat(1_100_000);
    let (status, _) = import(&s, &token, &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let res = s
        .http
        .post(s.url("/v1/imports/journal"))
        .body("2026-01-01 x\n    assets:a  1 EUR\n    income:b\n")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(balances(&s, &token).await.is_empty());
}
