//! The service under concurrency and faults: racing retries, a crash mid-load, and the
//! database or Redis going away (throwaway instances on their own ports, so the machine's
//! shared services stay up). Bounded in time; nothing here measures speed.

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/redis.rs"]
mod redis;
#[path = "support/server.rs"]
mod server;

use std::collections::{HashMap, HashSet};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::OwnRedis;
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
    let stored = s.all_movements(&token, &account).await;
    let stored_ids: HashSet<String> = stored.iter().map(|m| str(&m["id"])).collect();
    for (key, (id, _)) in &accepted {
        assert!(
            stored_ids.contains(id),
            "movement {id} for {key} was answered 201 but is gone"
        );
    }
    let stored_sum: i64 = stored.iter().map(|m| cents(&str(&m["amount"]))).sum();
    assert_eq!(
        cents(&s.balance(&token, &account).await),
        stored_sum,
        "balance and movements disagree"
    );

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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

/// Polls (bounded) until `check` holds.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < Duration::from_secs(30), "never: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn redis_down_fails_only_sign_in_and_recovers_by_itself() {
    if std::env::var("FINANCE_TEST_REDIS_URL").is_err() {
        server::skip("Redis outage test (set FINANCE_TEST_REDIS_URL to run it)");
        return;
    }
    let port = free_port();
    let redis = OwnRedis::start(port);
    let url = format!("redis://127.0.0.1:{port}");
    let s = Server::start_process(Backend::Embedded, &[("FINANCE_REDIS_URL", &url)])
        .await
        .expect("server");
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;

    drop(redis);
    let (status, body, headers) = s
        .post("/v1/auth/otp", None, json!({"email": email()}))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    assert_eq!(body["status"], 503);
    let (status, ready, _) = s.get("/readyz", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready["checks"]["otp_store"], "unavailable");
    // What does not need Redis keeps working.
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(&token),
            json!({"amount": "1", "description": "during"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let _redis = OwnRedis::start(port);
    eventually("sign-in works again", || async {
        s.post("/v1/auth/otp", None, json!({"email": email()}))
            .await
            .0
            == StatusCode::ACCEPTED
    })
    .await;
    assert_eq!(s.get("/readyz", None).await.0, StatusCode::OK);
    s.sign_in(&email()).await;
}

/// A PostgreSQL cluster of the test's own, run as the postgres user.
struct OwnPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl OwnPostgres {
    fn create(port: u16) -> Option<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())?;
        let dir =
            std::env::temp_dir().join(format!("finance-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).ok()?;
        Command::new("chown")
            .args(["postgres:postgres", dir.to_str()?])
            .status()
            .ok()?
            .success()
            .then_some(())?;
        let pg = Self { bin, dir, port };
        pg.as_postgres(&["initdb", "-A", "trust", "-U", "postgres", "-D", pg.data()])
            .then_some(())?;
        Some(pg)
    }

    fn data(&self) -> &str {
        self.dir.to_str().unwrap_or_default()
    }

    fn as_postgres(&self, args: &[&str]) -> bool {
        let tool = self.bin.join(args[0]);
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(tool)
            .args(&args[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn start(&self) {
        let opts = format!("-p {} -k {} -h 127.0.0.1", self.port, self.data());
        let log = format!("{}/log", self.data());
        assert!(
            self.as_postgres(&[
                "pg_ctl",
                "-D",
                self.data(),
                "-o",
                &opts,
                "-l",
                &log,
                "-w",
                "start"
            ]),
            "postgres starts"
        );
    }

    fn stop(&self) {
        self.as_postgres(&["pg_ctl", "-D", self.data(), "-m", "immediate", "-w", "stop"]);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn postgres_down_is_503_and_recovers_by_itself() {
    if std::env::var("FINANCE_TEST_DATABASE_URL").is_err() {
        server::skip("Postgres outage test (set FINANCE_TEST_DATABASE_URL to run it)");
        return;
    }
    let port = free_port();
    let pg =
        OwnPostgres::create(port).expect("a throwaway PostgreSQL cluster (initdb, run as root)");
    pg.start();
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let s = Server::start_process(Backend::Embedded, &[("FINANCE_DATABASE_URL", &url)])
        .await
        .expect("server");
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let path = format!("/v1/accounts/{account}/movements");
    s.post(
        &path,
        Some(&token),
        json!({"amount": "10", "description": "before"}),
    )
    .await;

    pg.stop();
    let (status, body, headers) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let (status, _, _) = s
        .post(
            &path,
            Some(&token),
            json!({"amount": "5", "description": "lost"}),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        s.get("/readyz", None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    // What needs no database still answers: liveness, the API description, token checks.
    assert_eq!(s.get("/healthz", None).await.0, StatusCode::OK);
    assert_eq!(s.get("/openapi.json", None).await.0, StatusCode::OK);
    assert_eq!(
        s.get("/v1/me", Some("v4.public.garbage")).await.0,
        StatusCode::UNAUTHORIZED
    );

    pg.start();
    eventually("the API answers again", || async {
        s.get("/v1/me", Some(&token)).await.0 == StatusCode::OK
    })
    .await;
    assert_eq!(s.get("/readyz", None).await.0, StatusCode::OK);
    assert_eq!(
        s.balance(&token, &account).await,
        "10.00",
        "the write during the outage did not happen"
    );
    let (status, _, _) = s
        .post(
            &path,
            Some(&token),
            json!({"amount": "5", "description": "after"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
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
    let url = s.env("FINANCE_DATABASE_URL").expect("url").to_string();
    let schema = url
        .rsplit("application_name=")
        .next()
        .expect("schema")
        .to_string();
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
    // Work for hung-up clients may still be finishing (it is not cancelled): wait for it,
    // bounded. A connection left inside a transaction would stay so for good.
    let admin_ref = &admin;
    let schema_ref = &schema;
    eventually("no server connection idle in transaction", || async move {
        let stuck: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
        )
        .bind(schema_ref)
        .fetch_one(admin_ref)
        .await
        .expect("activity");
        stuck == 0
    })
    .await;
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
