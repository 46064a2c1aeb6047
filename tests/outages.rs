//! The database or Redis going away under a running server (throwaway instances on their
//! own ports, so the machine's shared services stay up): what needs them fails with 503,
//! the rest keeps working, and the server recovers by itself. Bounded in time.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/redis.rs"]
mod redis;
#[path = "support/server.rs"]
mod server;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use redis::OwnRedis;
use reqwest::StatusCode;
use serde_json::json;
use server::{Backend, Server, email, eventually, free_port};

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
    let (leaving, _) = s.sign_in(&email()).await;
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
    // A sign-out without Redis is still recorded (in the database) and refused at once.
    let (status, _, _) = s.post("/v1/auth/logout", Some(&leaving), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        s.get("/v1/me", Some(&leaving)).await.0,
        StatusCode::UNAUTHORIZED
    );

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
    // Redis came back empty: the sign-out made while it was down still holds.
    assert_eq!(
        s.get("/v1/me", Some(&leaving)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(s.get("/v1/me", Some(&token)).await.0, StatusCode::OK);
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
