//! The real server for end-to-end tests, driven over HTTP on loopback: in-process on a
//! port-0 listener by default (no port race, no process start), or as the `finance-api`
//! binary for the tests that kill, signal or restart it.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::listening;
use crate::mail::Inbox;
use crate::pg;

#[path = "server/requests.rs"]
mod requests;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Backend {
    /// SQLite, OTPs in SQLite, mail in the outbox.
    Embedded,
    /// Postgres (a schema of its own), OTPs in Postgres, mail in the outbox.
    Postgres,
    /// Postgres, Redis and a real SMTP server.
    Services,
}

pub struct Server {
    child: Option<Child>,
    /// The in-process server, when it is not a child process.
    task: Option<tokio::task::JoinHandle<()>>,
    pub port: u16,
    pub base: String,
    pub inbox: Inbox,
    pub http: reqwest::Client,
    env: Vec<(String, String)>,
    data: tempfile::TempDir,
    /// How many servers answer at `base`: more than one behind the load balancer.
    servers: usize,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn skip(what: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}

fn test_var(name: &str, what: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(v) => Some(v),
        Err(_) => {
            skip(&format!("{what} (set {name} to run them)"));
            None
        }
    }
}

impl Server {
    /// Starts the server in this process on `backend` with extra variables; `None` (with a
    /// notice) if the backend's services are not configured for tests. Under
    /// `scale/run.sh` (`FINANCE_TEST_BALANCER_URL` set), a server on the services with no
    /// settings of its own is the load balancer in front of the three servers there.
    pub async fn start(backend: Backend, extra: &[(&str, &str)]) -> Option<Server> {
        if backend == Backend::Services
            && extra.is_empty()
            && let Some(server) = Self::balanced()
        {
            return Some(server);
        }
        Self::start_alone(backend, extra).await
    }

    /// The load balancer of `scale/run.sh`, if the tests run under it.
    fn balanced() -> Option<Server> {
        let base = std::env::var("FINANCE_TEST_BALANCER_URL").ok()?;
        let maildir = std::env::var("FINANCE_TEST_SMTP_MAILDIR").ok()?;
        let port = base
            .rsplit(':')
            .next()?
            .trim_end_matches('/')
            .parse()
            .ok()?;
        Some(Server {
            child: None,
            task: None,
            port,
            base: base.trim_end_matches('/').to_string(),
            inbox: Inbox::Maildir(PathBuf::from(maildir)),
            http: reqwest::Client::new(),
            env: Vec::new(),
            data: tempfile::tempdir().expect("temp dir"),
            servers: std::env::var("FINANCE_TEST_BALANCER_SERVERS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1),
        })
    }

    /// Starts a server of its own in this process, even under `scale/run.sh`.
    pub async fn start_alone(backend: Backend, extra: &[(&str, &str)]) -> Option<Server> {
        let mut server = Self::prepare(backend, extra).await?;
        server.serve_in_process().await;
        Some(server)
    }

    /// Starts the `finance-api` binary instead, for tests that kill, signal or restart it,
    /// or read its log.
    pub async fn start_process(backend: Backend, extra: &[(&str, &str)]) -> Option<Server> {
        let mut server = Self::prepare(backend, extra).await?;
        server.spawn().await;
        Some(server)
    }

    /// The settings and data folder of a server on `backend`, not started yet.
    async fn prepare(backend: Backend, extra: &[(&str, &str)]) -> Option<Server> {
        let data = tempfile::tempdir().expect("temp dir");
        let mut env: Vec<(String, String)> = vec![
            ("FINANCE_DATA_DIR".into(), data.path().display().to_string()),
            // Port 0: the system picks a free port (the binary logs which; in-process, the
            // listener says), so two servers started at once never get the same one.
            ("FINANCE_BIND".into(), "127.0.0.1:0".into()),
            (
                "FINANCE_LOG".into(),
                "info,warp::filters::trace=error".into(),
            ),
        ];
        let mut inbox = Inbox::Outbox(data.path().join("outbox"));
        match backend {
            Backend::Embedded => {}
            Backend::Postgres => {
                let db = test_var("FINANCE_TEST_DATABASE_URL", "end-to-end tests on Postgres")?;
                env.push((
                    "FINANCE_DATABASE_URL".into(),
                    pg::url_with_own_schema(&db).await,
                ));
            }
            Backend::Services => {
                let what = "end-to-end tests on Postgres + Redis + SMTP";
                let db = test_var("FINANCE_TEST_DATABASE_URL", what)?;
                let redis = test_var("FINANCE_TEST_REDIS_URL", what)?;
                let smtp = test_var("FINANCE_TEST_SMTP_URL", what)?;
                let maildir = test_var("FINANCE_TEST_SMTP_MAILDIR", what)?;
                env.push((
                    "FINANCE_DATABASE_URL".into(),
                    pg::url_with_own_schema(&db).await,
                ));
                env.push(("FINANCE_REDIS_URL".into(), redis));
                // Every test server shares the one Redis, and with it the per-client
                // sign-in counters of 127.0.0.1; tests of that limit set their own.
                env.push(("FINANCE_AUTH_CLIENT_LIMIT".into(), "1000000".into()));
                env.push(("FINANCE_SMTP_URL".into(), smtp));
                inbox = Inbox::Maildir(PathBuf::from(maildir));
            }
        }
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Some(Server {
            child: None,
            task: None,
            // Known once started.
            port: 0,
            base: String::new(),
            inbox,
            http: reqwest::Client::new(),
            env,
            data,
            servers: 1,
        })
    }

    /// Builds the application from the same variables the binary reads and serves it on a
    /// listener of its own.
    async fn serve_in_process(&mut self) {
        let vars: std::collections::HashMap<String, String> = self.env.iter().cloned().collect();
        let config = finance_core::config::Config::from_vars(|k| vars.get(k).cloned())
            .expect("test settings are valid");
        let app = finance_core::App::from_config(&config)
            .await
            .expect("the application starts");
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .expect("a port");
        self.port = listener.local_addr().expect("addr").port();
        self.base = format!("http://127.0.0.1:{}", self.port);
        let settings = finance_api::Settings::from_config(&config);
        self.task = Some(tokio::spawn(finance_api::serve_with(
            app, settings, listener,
        )));
    }

    /// Starts the process (again) with the same settings and data, and waits until it
    /// answers.
    pub async fn spawn(&mut self) {
        let log_path = self.data.path().join("server.log");
        let offset = std::fs::metadata(&log_path).map_or(0, |m| m.len() as usize);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.data.path().join("server.log"))
            .expect("log file");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_finance-api"));
        cmd.current_dir(self.data.path())
            .env_remove("FINANCE_DATABASE_URL")
            .env_remove("FINANCE_REDIS_URL")
            .env_remove("FINANCE_SMTP_URL")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            // The server logs to stdout; both streams go to the log a failing test prints.
            .stdout(log.try_clone().expect("log file"))
            .stderr(log);
        self.child = Some(cmd.spawn().expect("server binary starts"));
        let port = tokio::task::spawn_blocking(move || listening::wait_for_port(&log_path, offset))
            .await
            .expect("waiting for the port");
        self.port = port;
        self.base = format!("http://127.0.0.1:{port}");
        for _ in 0..300 {
            if let Ok(r) = self.http.get(self.url("/healthz")).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not come up:\n{}", self.log());
    }

    /// SIGKILL: no shutdown, no flushing, as in a crash or an OOM kill.
    pub fn kill(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("running")
    }

    /// The value of a variable the server was started with.
    pub fn env(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.path().join("server.log")).unwrap_or_default()
    }
}

pub async fn read(res: reqwest::Response) -> (StatusCode, Value, HeaderMap) {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body, headers)
}

pub fn str(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_string()
}

pub fn email() -> String {
    format!("user-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// Decimal text with two fraction digits to cents, for sums in tests.
pub fn cents(amount: &str) -> i64 {
    let negative = amount.starts_with('-');
    let digits: String = amount.chars().filter(|c| c.is_ascii_digit()).collect();
    let value: i64 = digits.parse().expect("digits");
    if negative { -value } else { value }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

/// Polls (bounded) until `check` holds.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while !check().await {
        assert!(start.elapsed() < Duration::from_secs(30), "never: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Declares, for each named `async fn(Server)`, one test on the embedded defaults and one
/// on Postgres + Redis + SMTP (skipped, with a notice, when those are not configured).
#[allow(unused_macros)]
macro_rules! on_backends {
    ($($name:ident),* $(,)?) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $name() {
                    let s = super::Server::start(super::Backend::Embedded, &[]).await.expect("server");
                    super::$name(s).await;
                }
            )*
        }
        mod services {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(s) = super::Server::start(super::Backend::Services, &[]).await else { return };
                    super::$name(s).await;
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_backends;
