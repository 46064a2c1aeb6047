//! The service under concurrency and faults: racing retries, a crash mid-load, clients
//! hanging up mid-request, requests past the timeout (outages.rs has the database and
//! Redis going away). Bounded in time; nothing here measures speed.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Backend, Server, cents, email, read, str};

fn random_byte() -> u8 {
    uuid::Uuid::new_v4().as_bytes()[0]
}

/// One request of a client: its key and amount in cents.
fn request(client: usize, i: usize) -> (String, i64) {
    let amount = ((client * 37 + i * 11) % 400) as i64 - 150;
    let amount = if amount == 0 { 7 } else { amount };
    (format!("client-{client}-req-{i}"), amount)
}

fn amount_text(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

/// 32 clients add movements to one account; each request is sent one to three times
/// with the same Idempotency-Key, retries racing the first attempt at random. Every key
/// is recorded once, answers for one key name one movement, and the balance is the sum.
async fn racing_retries_record_each_request_once(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Shared", "EUR").await;
    let s = Arc::new(s);
    let answers: Arc<Mutex<HashMap<String, HashSet<String>>>> = Arc::default();
    let mut clients = Vec::new();
    for client in 0..32 {
        let (s, token, account, answers) =
            (s.clone(), token.clone(), account.clone(), answers.clone());
        clients.push(tokio::spawn(async move {
            for i in 0..6 {
                let (key, amount) = request(client, i);
                let body = json!({"amount": amount_text(amount), "description": key});
                let sends = 1 + usize::from(random_byte() % 3);
                let attempts: Vec<_> = (0..sends)
                    .map(|_| {
                        let req = s
                            .http
                            .post(s.url(&format!("/v1/accounts/{account}/movements")))
                            .bearer_auth(&token)
                            .header("Idempotency-Key", &key)
                            .json(&body);
                        async move { read(req.send().await.expect("request")).await }
                    })
                    .collect();
                for (status, movement, _) in futures_util::future::join_all(attempts).await {
                    assert_eq!(status, StatusCode::CREATED, "{movement}");
                    answers
                        .lock()
                        .expect("lock")
                        .entry(key.clone())
                        .or_default()
                        .insert(str(&movement["id"]));
                }
            }
        }));
    }
    for c in clients {
        c.await.expect("client");
    }
    let answers = answers.lock().expect("lock").clone();
    assert_eq!(answers.len(), 32 * 6);
    assert!(
        answers.values().all(|ids| ids.len() == 1),
        "a key answered with two movements"
    );
    let stored = s.all_movements(&token, &account).await;
    assert_eq!(stored.len(), 32 * 6, "each request recorded exactly once");
    let expected: i64 = (0..32)
        .flat_map(|c| (0..6).map(move |i| request(c, i).1))
        .sum();
    assert_eq!(
        stored
            .iter()
            .map(|m| cents(&str(&m["amount"])))
            .sum::<i64>(),
        expected
    );
    assert_eq!(cents(&s.balance(&token, &account).await), expected);
}

/// The server is killed with SIGKILL in the middle of a write load and started again:
/// every movement answered 201 is there, none is half-written, the balance is the sum;
/// retrying the unanswered requests with their keys then records each exactly once.
async fn a_crash_mid_load_loses_nothing_answered(mut s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Crash", "EUR").await;
    let path = format!("/v1/accounts/{account}/movements");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let accepted: Arc<Mutex<HashMap<String, (String, i64)>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for client in 0..16 {
        let (http, url, token, accepted, stop) = (
            http.clone(),
            s.url(&path),
            token.clone(),
            accepted.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 500 {
                let (key, amount) = request(client, i);
                let body = json!({"amount": amount_text(amount), "description": key});
                let res = http
                    .post(&url)
                    .bearer_auth(&token)
                    .header("Idempotency-Key", &key)
                    .json(&body)
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let m: Value = r.json().await.expect("json");
                        accepted
                            .lock()
                            .expect("lock")
                            .insert(key, (str(&m["id"]), amount));
                    }
                    // The server is gone: this request's fate is unknown.
                    _ => break,
                }
                i += 1;
            }
            i
        }));
    }
    // Let the load run, then crash the server under it.
    let start = Instant::now();
    while accepted.lock().expect("lock").len() < 100 && start.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    s.kill();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut sent = HashMap::new();
    for (client, w) in writers.into_iter().enumerate() {
        sent.insert(client, w.await.expect("writer"));
    }
    let accepted = accepted.lock().expect("lock").clone();
    assert!(
        accepted.len() >= 100,
        "the load did not get going: {}",
        accepted.len()
    );

    s.spawn().await;
    let (stored, balance) = settled(&s, &token, &account).await;
    let stored_ids: HashSet<String> = stored.iter().map(|m| str(&m["id"])).collect();
    for (key, (id, _)) in &accepted {
        assert!(
            stored_ids.contains(id),
            "movement {id} for {key} was answered 201 but is gone"
        );
    }
    let stored_sum: i64 = stored.iter().map(|m| cents(&str(&m["amount"]))).sum();
    assert_eq!(balance, stored_sum, "balance and movements disagree");

    // Retry every request whose answer was lost: each is recorded exactly once.
    for (client, n) in &sent {
        for i in 0..=*n {
            let (key, amount) = request(*client, i);
            if accepted.contains_key(&key) {
                continue;
            }
            let body = json!({"amount": amount_text(amount), "description": key});
            let res = s
                .http
                .post(s.url(&path))
                .bearer_auth(&token)
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
                .await
                .expect("retry");
            assert_eq!(res.status(), StatusCode::CREATED);
        }
    }
    let stored = s.all_movements(&token, &account).await;
    let keys: Vec<String> = stored.iter().map(|m| str(&m["description"])).collect();
    let unique: HashSet<&String> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "a request was recorded twice");
    let expected: i64 = sent
        .iter()
        .flat_map(|(c, n)| (0..=*n).map(move |i| request(*c, i).1))
        .sum();
    assert_eq!(cents(&s.balance(&token, &account).await), expected);
}

/// The account's movements and balance once nothing lands any more. A commit the killed
/// server had sent can still be waiting for a synchronous standby (as in scale/run.sh) and
/// become visible after the restart, between two pages of the list or between the list
/// and the balance; so the list is taken between two equal balances.
async fn settled(s: &Server, token: &str, account: &str) -> (Vec<Value>, i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let before = cents(&s.balance(token, account).await);
        let stored = s.all_movements(token, account).await;
        let after = cents(&s.balance(token, account).await);
        if before == after {
            return (stored, after);
        }
        assert!(
            Instant::now() < deadline,
            "the balance still moved a minute after the crash"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

macro_rules! on_databases {
    ($($name:ident),*) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let s = super::Server::start_process(super::Backend::Embedded, &[]).await.expect("server");
                    super::$name(s).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(s) = super::Server::start_process(super::Backend::Postgres, &[]).await else { return };
                    super::$name(s).await;
                }
            )*
        }
    };
}

on_databases!(
    racing_retries_record_each_request_once,
    a_crash_mid_load_loses_nothing_answered
);
