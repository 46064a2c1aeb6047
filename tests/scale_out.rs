//! Several servers on one database (issue 19's first proof, on loopback): a token from
//! one is accepted by another, a code asked on one is redeemed on another, and a sign-out
//! on one is refused on the other: from the next request with Redis, within moments (by
//! notification) on Postgres alone.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use reqwest::StatusCode;
use serde_json::json;
use server::{Backend, Server, email, str};

/// A second server on `a`'s database, Redis and signing key.
async fn twin(a: &Server, backend: Backend) -> Server {
    let key = a.data_dir().join("token.key").display().to_string();
    let mut extra = vec![
        (
            "FINANCE_DATABASE_URL",
            a.env("FINANCE_DATABASE_URL").expect("url").to_string(),
        ),
        ("FINANCE_TOKEN_KEY_FILE", key),
    ];
    if let Some(redis) = a.env("FINANCE_REDIS_URL") {
        extra.push(("FINANCE_REDIS_URL", redis.to_string()));
    }
    let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Server::start(backend, &extra).await.expect("second server")
}

/// With Redis, the sign-out is read from Redis by every server on every request: refused
/// at once. On Postgres alone each server learns it by notification (well under a
/// millisecond on one network): refused within a second here, however loaded CI is.
async fn sign_outs_reach_every_server_at_once(backend: Backend) {
    let at_once = backend == Backend::Services;
    let Some(a) = Server::start_alone(backend, &[]).await else {
        return;
    };
    let b = twin(&a, backend).await;
    // A code asked on one server is redeemed on the other (Redis or the database holds it).
    let address = email();
    let (code, _) = a.ask_code(&address).await;
    let (session, _) = b.redeem(&address, &code).await;
    let token = str(&session["token"]);
    // Accepted by both (and now in both servers' verified-token caches).
    for s in [&a, &b] {
        let (status, _, _) = s.get("/v1/me", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = a.post("/v1/auth/logout", Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // With Redis, the very next request to the other server is refused; on Postgres
    // alone, once the notification has arrived.
    refused(&b, &token, at_once).await;
    // Every token of the user, signed out on the other server.
    let (second, _) = a.sign_in(&address).await;
    let (status, _, _) = b.get("/v1/me", Some(&second)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = b
        .post("/v1/auth/logout-all", Some(&second), json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    refused(&a, &second, at_once).await;
}

/// The token is refused by `s`: on the very next request, or within a second.
async fn refused(s: &Server, token: &str, at_once: bool) {
    let since = std::time::Instant::now();
    loop {
        let (status, _, _) = s.get("/v1/me", Some(token)).await;
        if status == StatusCode::UNAUTHORIZED {
            return;
        }
        assert!(!at_once, "a signed-out token still works on another server");
        assert!(
            since.elapsed() < std::time::Duration::from_secs(1),
            "a signed-out token still works on another server after a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_outs_reach_every_server_at_once_with_redis() {
    sign_outs_reach_every_server_at_once(Backend::Services).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sign_outs_reach_every_server_at_once_on_postgres_alone() {
    sign_outs_reach_every_server_at_once(Backend::Postgres).await;
}
