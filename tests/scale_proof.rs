//! The scale-out proof, run by `scale/run.sh` against three API servers behind HAProxy, a
//! Postgres primary with a streaming replica and a Redis Cluster (skipped, with a notice,
//! anywhere else): state lives only in the shared engines, so consecutive requests may
//! land on any server; a server killed and a Redis master lost under load lose and double
//! nothing; schedules are booked once by three servers catching up at the same time.
//!
//! These tests stop and start parts of the setup (through `scale/ctl.sh`): run them one at
//! a time (`--test-threads=1`), as the script does.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, cents, email, skip, str};

#[path = "scale_proof/feed.rs"]
mod feed;
#[path = "scale_proof/replica.rs"]
mod replica;

/// The balancer and the control script, or `None` (with a notice) outside `scale/run.sh`.
async fn setup() -> Option<(Server, String)> {
    // FINANCE_SCALE_PROOF: set only for this suite's own run, alone, after the rest.
    let (Ok(_), Ok(ctl), Ok(_)) = (
        std::env::var("FINANCE_TEST_BALANCER_URL"),
        std::env::var("FINANCE_SCALE_CTL"),
        std::env::var("FINANCE_SCALE_PROOF"),
    ) else {
        skip("the scale-out proof (run it with `bash scale/run.sh`)");
        return None;
    };
    let s = Server::start(Backend::Services, &[]).await?;
    Some((s, ctl))
}

/// Runs `scale/ctl.sh` with `args`; its output.
fn ctl(script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("bash")
        .arg(script)
        .args(args)
        .output()
        .expect("scale/ctl.sh runs");
    assert!(
        out.status.success(),
        "ctl.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Which server answered (HAProxy names it).
fn served_by(headers: &HeaderMap) -> String {
    headers
        .get("x-served-by")
        .and_then(|v| v.to_str().ok())
        .expect("X-Served-By from HAProxy")
        .to_string()
}

/// One request with an optional `Idempotency-Key`; `None` when the connection failed.
async fn request(
    s: &Server,
    method: Method,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<&Value>,
) -> Option<(StatusCode, Value, HeaderMap)> {
    let mut req = s
        .http
        .request(method, s.url(path))
        .timeout(Duration::from_secs(10));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    match req.send().await {
        Ok(res) => Some(server::read(res).await),
        Err(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn consecutive_requests_land_on_different_servers_and_share_everything() {
    let Some((s, _)) = setup().await else {
        return;
    };
    let mut seen = HashSet::new();
    for _ in 0..6 {
        let (status, _, headers) = s.get("/healthz", None).await;
        assert_eq!(status, StatusCode::OK);
        seen.insert(served_by(&headers));
    }
    assert_eq!(seen.len(), 3, "round robin over three servers: {seen:?}");

    // A code asked on one server is redeemed on another.
    let address = email();
    let (code, asked) = s.ask_code(&address).await;
    let (session, redeemed) = s.redeem(&address, &code).await;
    assert_ne!(served_by(&asked), served_by(&redeemed));
    let token = str(&session["token"]);

    // The token is accepted by every server.
    let mut accepted_by = HashSet::new();
    for _ in 0..3 {
        let (status, _, headers) = s.get("/v1/me", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        accepted_by.insert(served_by(&headers));
    }
    assert_eq!(accepted_by.len(), 3, "{accepted_by:?}");

    // An Idempotency-Key retried on another server replays the first answer.
    let account = s.create_account(&token, "Bank", "EUR").await;
    let path = format!("/v1/accounts/{account}/movements");
    let body = json!({"amount": "-12.34", "description": "Groceries"});
    let key = uuid::Uuid::new_v4().to_string();
    let mut answers = Vec::new();
    for _ in 0..3 {
        let (status, answer, headers) = request(
            &s,
            Method::POST,
            &path,
            Some(&token),
            Some(&key),
            Some(&body),
        )
        .await
        .expect("answered");
        answers.push((status, answer, served_by(&headers)));
    }
    assert_eq!(answers[0].0, StatusCode::CREATED, "{}", answers[0].1);
    for (status, answer, _) in &answers[1..] {
        assert_eq!(*status, answers[0].0);
        assert_eq!(answer, &answers[0].1, "a retry on another server replays");
    }
    let servers: HashSet<_> = answers.iter().map(|(_, _, by)| by.clone()).collect();
    assert_eq!(servers.len(), 3, "{servers:?}");
    assert_eq!(s.balance(&token, &account).await, "-12.34");
    assert_eq!(s.all_movements(&token, &account).await.len(), 1);

    // A sign-out on one server is refused by every server from the next request on.
    let (status, _, _) = s.post("/v1/auth/logout", Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mut refused_by = HashSet::new();
    for _ in 0..3 {
        let (status, _, headers) = s.get("/v1/me", Some(&token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "a signed-out token works");
        refused_by.insert(served_by(&headers));
    }
    assert_eq!(refused_by.len(), 3);
}

/// Posts one movement with its own key until it is answered with success, as a careful
/// client does: a lost connection, a 502 from the balancer or a 503 is retried, with the
/// same key and body, until `deadline`.
async fn post_until_done(
    s: &Server,
    token: &str,
    account: &str,
    key: &str,
    body: &Value,
    deadline: Instant,
) -> u32 {
    let path = format!("/v1/accounts/{account}/movements");
    let mut tries = 0;
    loop {
        tries += 1;
        if let Some((status, answer, _)) =
            request(s, Method::POST, &path, Some(token), Some(key), Some(body)).await
        {
            if status.is_success() {
                return tries;
            }
            assert!(
                status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS,
                "{status} {answer}"
            );
        }
        assert!(Instant::now() < deadline, "{key} never succeeded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs in with a new address until it works: codes and limits live in Redis, so this is
/// the traffic a lost Redis master interrupts.
async fn sign_in_until_done(s: &Server, deadline: Instant) -> u32 {
    let mut tries = 0;
    loop {
        tries += 1;
        assert!(Instant::now() < deadline, "sign-in never succeeded again");
        let address = email();
        let Some((status, _, _)) = request(
            s,
            Method::POST,
            "/v1/auth/otp",
            None,
            None,
            Some(&json!({"email": address})),
        )
        .await
        else {
            continue;
        };
        if status != StatusCode::ACCEPTED {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        let code = s.inbox.code_for(&address);
        let redeem = json!({"email": address, "code": code});
        for _ in 0..20 {
            match request(s, Method::POST, "/v1/auth/token", None, None, Some(&redeem)).await {
                Some((StatusCode::OK, _, _)) => return tries,
                Some((status, _, _)) if status.is_server_error() => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                // The code was lost with the master that held it: ask for another.
                _ => break,
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_and_a_lost_redis_master_lose_and_double_nothing() {
    let Some((s, ctl_script)) = setup().await else {
        return;
    };
    let s = Arc::new(s);
    let (token, _) = s.sign_in(&email()).await;
    let mut accounts = Vec::new();
    for i in 0..3 {
        accounts.push(s.create_account(&token, &format!("Load {i}"), "EUR").await);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(120);
    // Eight writers, each posting movements with keys of its own until told to stop.
    let mut writers = Vec::new();
    for w in 0..8usize {
        let (s, token, stop) = (s.clone(), token.clone(), stop.clone());
        let account = accounts[w % accounts.len()].clone();
        writers.push(tokio::spawn(async move {
            let mut sent: Vec<(String, i64)> = Vec::new();
            let mut retried = 0;
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let key = format!("w{w}-{n}-{}", uuid::Uuid::new_v4().simple());
                let amount = (n % 17 + 1) * if n % 3 == 0 { 1 } else { -1 };
                let body =
                    json!({"amount": format!("{}.{:02}", amount, n % 100), "description": key});
                retried += post_until_done(&s, &token, &account, &key, &body, deadline).await - 1;
                sent.push((key, cents(body["amount"].as_str().expect("amount"))));
            }
            (account, sent, retried)
        }));
    }
    let signer = {
        let (s, stop) = (s.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut done, mut retried) = (0, 0);
            while !stop.load(Ordering::Relaxed) {
                retried += sign_in_until_done(&s, deadline).await - 1;
                done += 1;
            }
            (done, retried)
        })
    };

    tokio::time::sleep(Duration::from_secs(2)).await;
    ctl(&ctl_script, &["kill", "2"]);
    eprintln!("killed API server 2 (SIGKILL)");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let port = ctl(&ctl_script, &["stop-redis-master"]);
    eprintln!("killed the Redis master on :{port}");
    let lost = Instant::now();
    let mut settled = false;
    while lost.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        if std::process::Command::new("bash")
            .args([ctl_script.as_str(), "redis-settled"])
            .status()
            .is_ok_and(|s| s.success())
        {
            settled = true;
            break;
        }
    }
    assert!(
        settled,
        "the Redis Cluster did not settle after losing a master"
    );
    eprintln!("the Redis Cluster settled in {:?}", lost.elapsed());
    // A while under load on the settled cluster, with two API servers.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);

    let mut expected: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    let mut retried = 0;
    for w in writers {
        let (account, sent, r) = w.await.expect("writer");
        retried += r;
        expected.entry(account).or_default().extend(sent);
    }
    let (sign_ins, sign_in_retries) = signer.await.expect("signer");
    // Both back, so that the proof can run again on `scale/run.sh up`.
    ctl(&ctl_script, &["start", "2"]);
    ctl(&ctl_script, &["start-redis", &port]);

    let total: usize = expected.values().map(Vec::len).sum();
    eprintln!(
        "{total} movements written ({retried} retries), {sign_ins} sign-ins ({sign_in_retries} retries)"
    );
    assert!(total > 100, "too little load to prove anything: {total}");
    assert!(sign_ins > 0);
    for (account, sent) in &expected {
        let listed = s.all_movements(&token, account).await;
        let mut found: BTreeMap<String, i64> = BTreeMap::new();
        for m in &listed {
            let key = str(&m["description"]);
            assert!(
                found
                    .insert(key.clone(), cents(&str(&m["amount"])))
                    .is_none(),
                "{key} written twice"
            );
        }
        let wanted: BTreeMap<String, i64> = sent.iter().cloned().collect();
        assert_eq!(found, wanted, "movements lost or changed in {account}");
        let sum: i64 = wanted.values().sum();
        assert_eq!(
            cents(&s.balance(&token, account).await),
            sum,
            "the balance is the sum of the movements"
        );
    }
}
