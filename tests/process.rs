//! The `finance-api` process itself: SIGTERM stops it cleanly, and at start it purges the
//! records whose time is over and logs what it removed.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use std::process::Command;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Backend, Server, email, read};

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let mut s = Server::start_process(Backend::Embedded, &[])
        .await
        .expect("server");
    let pid = s.child().id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut exited = None;
    for _ in 0..100 {
        if let Some(code) = s.child().try_wait().expect("wait") {
            exited = Some(code);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let code = exited.expect("the server exits after SIGTERM");
    assert!(code.success(), "{code:?}");
}

#[tokio::test]
async fn the_server_purges_expired_keys_and_codes_at_start() {
    let mut s = Server::start_process(Backend::Embedded, &[("FINANCE_LOG_FORMAT", "json")])
        .await
        .expect("server");
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let movements = format!("/v1/accounts/{account}/movements");
    let (status, first, _) = salary(&s, &token, &movements).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, _, _) = s
        .post("/v1/auth/otp", None, json!({"email": email()}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);

    // Age the key and the pending code past any retention, as if the server had been off
    // for years, then start it again.
    s.kill();
    let db = s.data_dir().join("finance.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&db);
    let pool = sqlx::SqlitePool::connect_with(options)
        .await
        .expect("open db");
    for sql in [
        "UPDATE idempotency_keys SET created_at = '2000-01-01T00:00:00Z'",
        "UPDATE otp_codes SET expires_at = '2000-01-01T00:00:00Z'",
    ] {
        let done = sqlx::query(sql).execute(&pool).await.expect("age");
        assert_eq!(done.rows_affected(), 1, "{sql}");
    }
    pool.close().await;
    let logged_before = s.log().len();
    s.spawn().await;

    let mut purged = None;
    for _ in 0..100 {
        purged = s.log()[logged_before..].lines().find_map(|l| {
            let v: Value = serde_json::from_str(l).ok()?;
            (v["fields"]["message"] == "purged expired records").then(|| v["fields"].clone())
        });
        if purged.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let purged = purged.unwrap_or_else(|| panic!("no purge logged:\n{}", s.log()));
    assert_eq!(purged["idempotency_keys"], 1, "{purged}");
    assert_eq!(purged["codes"], 1, "{purged}");

    // The key is free again: the same request now records a second movement.
    let (status, second, headers) = salary(&s, &token, &movements).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert!(headers.get("idempotency-replayed").is_none());
    assert_ne!(second["id"], first["id"]);
    assert_eq!(s.balance(&token, &account).await, "20.00");
}

/// The same keyed request every time.
async fn salary(
    s: &Server,
    token: &str,
    movements: &str,
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let req = s
        .http
        .post(s.url(movements))
        .bearer_auth(token)
        .header("Idempotency-Key", "salary-2000-01")
        .json(&json!({"amount": "10.00", "description": "salary"}));
    read(req.send().await.expect("request")).await
}
