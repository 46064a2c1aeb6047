//! Requests cancelled half-way, on Postgres: clients hanging up mid-request and requests
//! past the timeout never leave storage work half-done, and the pool never hands out a
//! connection inside a transaction. Bounded in time.

#[path = "cancellation/books.rs"]
mod books;
#[path = "cancellation/hooks.rs"]
mod hooks;
#[path = "cancellation/journal.rs"]
mod journal;
#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "cancellation/rules.rs"]
mod rules;
#[path = "support/server.rs"]
mod server;
#[path = "cancellation/sharing.rs"]
mod sharing;
#[path = "cancellation/web.rs"]
mod web;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;
use server::{Backend, Server, email, eventually, read, str};

/// Waits, bounded, until no connection of the server (named by `schema`) sits idle inside
/// a transaction: work for hung-up clients may still be finishing, but a connection left
/// inside a transaction would stay so for good.
async fn no_connection_left_in_a_transaction(admin: &sqlx::PgPool, schema: &str) {
    eventually("no server connection idle in transaction", || async move {
        let stuck: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
        )
        .bind(schema)
        .fetch_one(admin)
        .await
        .expect("activity");
        stuck == 0
    })
    .await;
}

/// The schema (and `application_name`) of a server on Postgres, from its database URL.
fn schema_of(s: &Server) -> String {
    let url = s.env("FINANCE_DATABASE_URL").expect("url");
    url.rsplit("application_name=")
        .next()
        .expect("schema")
        .to_string()
}

/// A server process on Postgres with its schema, and a pool of the test's own to look at
/// the database from outside; `None` (skipped) without Postgres.
async fn postgres_server() -> Option<(Server, String, sqlx::PgPool)> {
    let s = Server::start_process(Backend::Postgres, &[]).await?;
    let schema = schema_of(&s);
    let admin = sqlx::PgPool::connect(&std::env::var("FINANCE_TEST_DATABASE_URL").expect("url"))
        .await
        .expect("fresh connection");
    Some((s, schema, admin))
}

fn random_byte() -> u8 {
    uuid::Uuid::new_v4().as_bytes()[0]
}

/// Sends `method path` as `token` and hangs up 0 to 3 ms in.
async fn cut(s: &Server, method: Method, path: &str, token: &str, body: Option<serde_json::Value>) {
    let wait = Duration::from_micros(u64::from(random_byte()) * 12);
    let http = reqwest::Client::builder()
        .timeout(wait)
        .build()
        .expect("client");
    let mut req = http.request(method, s.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let _ = req.send().await;
}

/// A count read fresh from the database, `{s}` the server's schema.
async fn count(admin: &sqlx::PgPool, schema: &str, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.replace("{s}", schema)))
        .fetch_one(admin)
        .await
        .expect("count")
}

/// Clients hang up at random moments (0 to 3 ms into a request) while others create
/// accounts and wait for their answers. Afterwards every account answered 201 is visible
/// from a fresh connection, every balance is the sum of its movements, and no server
/// connection sits `idle in transaction`: a dropped handler never leaves storage work
/// half-done, and the pool never hands out a connection inside a transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hung_up_requests_leave_nothing_half_done_on_postgres() {
    let Some(s) = Server::start_process(Backend::Postgres, &[]).await else {
        return;
    };
    let schema = schema_of(&s);
    let (token, _) = s.sign_in(&email()).await;
    let target = s.create_account(&token, "Target", "EUR").await;
    let s = Arc::new(s);
    let until = Instant::now() + Duration::from_secs(8);
    let mut tasks = Vec::new();
    for client in 0..12 {
        let (s, token, target) = (s.clone(), token.clone(), target.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while Instant::now() < until {
                i += 1;
                let wait = Duration::from_micros(u64::from(random_byte()) * 12);
                let http = reqwest::Client::builder()
                    .timeout(wait)
                    .build()
                    .expect("client");
                let req = if i % 3 == 0 {
                    http.post(s.url("/v1/accounts"))
                        .json(&json!({"name": format!("cut-{client}-{i}"), "currency": "EUR"}))
                } else {
                    http.post(s.url(&format!("/v1/accounts/{target}/movements")))
                        .json(&json!({"amount": "-1.25", "description": "cut"}))
                };
                let _ = req.bearer_auth(&token).send().await;
                // Hung-up work still runs to its end; pace the clients so that the
                // backlog they leave stays within what a debug build drains.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    let created: Arc<Mutex<Vec<String>>> = Arc::default();
    for client in 0..2 {
        let (s, token, created) = (s.clone(), token.clone(), created.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while Instant::now() < until {
                i += 1;
                let (status, body, _) = s
                    .post(
                        "/v1/accounts",
                        Some(&token),
                        json!({"name": format!("kept-{client}-{i}"), "currency": "EUR"}),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
                created.lock().expect("lock").push(str(&body["id"]));
            }
        }));
    }
    for t in tasks {
        t.await.expect("client");
    }
    let admin = sqlx::PgPool::connect(&std::env::var("FINANCE_TEST_DATABASE_URL").expect("url"))
        .await
        .expect("fresh connection");
    let ids: Vec<uuid::Uuid> = created
        .lock()
        .expect("lock")
        .iter()
        .map(|id| id.parse().expect("uuid"))
        .collect();
    assert!(
        ids.len() >= 5,
        "too few accounts created: {}\n{}",
        ids.len(),
        s.log()
    );
    let visible: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM {schema}.accounts WHERE id = ANY($1)"
    )))
    .bind(&ids)
    .fetch_one(&admin)
    .await
    .expect("count");
    assert_eq!(
        visible,
        ids.len() as i64,
        "accounts answered 201 are missing"
    );
    let drifted: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM {schema}.accounts a WHERE a.balance <> \
         (SELECT coalesce(sum(m.amount), 0) FROM {schema}.movements m WHERE m.account_id = a.id)"
    )))
    .fetch_one(&admin)
    .await
    .expect("balances");
    assert_eq!(drifted, 0, "a balance is not the sum of its movements");
    // Work for hung-up clients may still be finishing (it is not cancelled).
    no_connection_left_in_a_transaction(&admin, &schema).await;
    admin.close().await;
}

/// A request past `FINANCE_REQUEST_TIMEOUT` is answered 503, and its work still ends: the
/// movement's account row is held by another transaction for longer than the timeout, then
/// released; the write lands, and a retry with the same key replays it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_write_still_completes_and_replays() {
    let Some(s) =
        Server::start_process(Backend::Postgres, &[("FINANCE_REQUEST_TIMEOUT", "1")]).await
    else {
        return;
    };
    let url = s.env("FINANCE_DATABASE_URL").expect("url").to_string();
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Held", "EUR").await;

    let holder = sqlx::PgPool::connect(&url).await.expect("own connection");
    let mut lock = holder.begin().await.expect("begin");
    sqlx::query("SELECT balance FROM accounts WHERE id = $1 FOR UPDATE")
        .bind(account.parse::<uuid::Uuid>().expect("uuid"))
        .execute(&mut *lock)
        .await
        .expect("lock the row");

    let path = format!("/v1/accounts/{account}/movements");
    let body = json!({"amount": "-3.00", "description": "slow"});
    let send = || {
        s.http
            .post(s.url(&path))
            .bearer_auth(&token)
            .header("Idempotency-Key", "slow-1")
            .json(&body)
            .send()
    };
    let (status, problem, _) = read(send().await.expect("request")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert_eq!(problem["status"], 503);
    lock.rollback().await.expect("release");

    eventually("the timed-out write lands", || async {
        s.balance(&token, &account).await == "-3.00"
    })
    .await;
    let (status, replay, headers) = read(send().await.expect("retry")).await;
    assert_eq!(status, StatusCode::CREATED, "{replay}");
    assert_eq!(headers["idempotency-replayed"], "true");
    assert_eq!(s.all_movements(&token, &account).await.len(), 1);
    holder.close().await;
}

/// `DELETE /v1/me` cut at random moments (0 to 3 ms in): each user ends either wholly
/// deleted (no user row, accounts or movements) or wholly there (both accounts, balances
/// the sums of their movements), never half-way; and no connection is left inside a
/// transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_up_delete_me_is_all_or_nothing_on_postgres() {
    let Some(s) = Server::start_process(Backend::Postgres, &[]).await else {
        return;
    };
    let schema = schema_of(&s);
    let mut users = Vec::new();
    for _ in 0..8 {
        let (token, id) = s.sign_in(&email()).await;
        for name in ["Bank", "Cash"] {
            let account = s.create_account(&token, name, "EUR").await;
            for _ in 0..3 {
                let (status, body, _) = s
                    .post(
                        &format!("/v1/accounts/{account}/movements"),
                        Some(&token),
                        json!({"amount": "-1.25", "description": "x"}),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
            }
        }
        users.push((token, id.parse::<uuid::Uuid>().expect("uuid")));
    }
    for (token, _) in &users {
        let wait = Duration::from_micros(u64::from(random_byte()) * 12);
        let http = reqwest::Client::builder()
            .timeout(wait)
            .build()
            .expect("client");
        let _ = http.delete(s.url("/v1/me")).bearer_auth(token).send().await;
    }
    let admin = sqlx::PgPool::connect(&std::env::var("FINANCE_TEST_DATABASE_URL").expect("url"))
        .await
        .expect("fresh connection");
    let (admin_ref, schema_ref, users_ref) = (&admin, &schema, &users);
    // Hung-up work runs to its end: wait until every user is in one of the two states.
    eventually("each user wholly deleted or wholly there", || async move {
        let mut settled = true;
        for (_, id) in users_ref {
            let (user, accounts, movements, drifted): (i64, i64, i64, i64) =
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT (SELECT count(*) FROM {schema_ref}.users WHERE id = $1), \
                     (SELECT count(*) FROM {schema_ref}.accounts WHERE owner_id = $1), \
                     (SELECT count(*) FROM {schema_ref}.movements m JOIN {schema_ref}.accounts a \
                      ON a.id = m.account_id WHERE a.owner_id = $1), \
                     (SELECT count(*) FROM {schema_ref}.accounts a WHERE a.owner_id = $1 AND \
                      a.balance <> (SELECT coalesce(sum(m.amount), 0) FROM {schema_ref}.movements m \
                      WHERE m.account_id = a.id))"
                )))
                .bind(id)
                .fetch_one(admin_ref)
                .await
                .expect("state");
            assert_eq!(drifted, 0, "a balance is not the sum of its movements");
            match (user, accounts, movements) {
                (0, 0, 0) | (1, 2, 6) => {}
                other => {
                    settled = false;
                    eprintln!("user {id} half-way: {other:?}");
                }
            }
        }
        settled
    })
    .await;
    no_connection_left_in_a_transaction(admin_ref, schema_ref).await;
    admin.close().await;
}
