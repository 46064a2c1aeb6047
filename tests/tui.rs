//! The real `finance-tui` binary in a pseudo-terminal (tmux, 80x24), on a database the
//! CLI filled: read it, add to it with the keyboard alone, quit, and check with the CLI.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of this test's own, stopped when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts `finance-tui` with `args` at 80x24 on the data folder `data`.
    fn start(data: &std::path::Path, args: &str) -> Self {
        let tmux = Tmux {
            socket: format!("finance-tui-{}", uuid::Uuid::new_v4().simple()),
        };
        let command = format!(
            "env FINANCE_DATA_DIR='{}' FINANCE_CONFIG_DIR='{}/config' {} {args}",
            data.display(),
            data.display(),
            env!("CARGO_BIN_EXE_finance-tui")
        );
        let started = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "tui",
            "-x",
            "80",
            "-y",
            "24",
            &command,
        ]);
        assert!(
            started.status.success(),
            "{}",
            String::from_utf8_lossy(&started.stderr)
        );
        tmux
    }

    /// Opens the help, closes it and quits; the program must end.
    fn help_then_quit(&self) {
        self.keys(&["?"]);
        self.wait_for("filter movements by text");
        self.keys(&["q", "q"]);
        let start = Instant::now();
        while self.running() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the dashboard did not quit"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "tui"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "tui"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    fn text(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "tui", "-l", "--", text])
                .status
                .success()
        );
    }

    /// Waits (bounded) until the screen shows `what`.
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "never showed {what:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn running(&self) -> bool {
        self.run(&["has-session", "-t", "tui"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The `finance` CLI binary, built if this test run has not built it.
fn cli_binary() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_finance-tui")).with_file_name("finance");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let ok = Command::new(cargo)
            .args(["build", "-p", "finance-cli"])
            .status()
            .expect("cargo");
        assert!(ok.success(), "building the CLI");
    }
    bin
}

/// Whether tmux is here to run the dashboard in; says the test is skipped if not.
fn has_tmux() -> bool {
    let here = Command::new("tmux").arg("-V").output().is_ok();
    if !here {
        eprintln!("SKIPPED: TUI smoke test (tmux is not installed)");
    }
    here
}

/// A data folder with the account Bank (EUR) holding one movement, "Seed".
fn seeded(date: Option<&str>) -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("dir");
    finance(
        data.path(),
        &["account", "create", "Bank", "--currency", "EUR"],
    );
    let mut add = vec!["add-movement", "Bank", "100", "-d", "Seed"];
    if let Some(d) = date {
        add.extend(["--date", d]);
    }
    finance(data.path(), &add);
    data
}

fn finance(data: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(cli_binary())
        .env("FINANCE_DATA_DIR", data)
        .env("FINANCE_CONFIG_DIR", data.join("config"))
        .env_remove("FINANCE_USER")
        .env_remove("FINANCE_SERVER")
        .env_remove("FINANCE_DATABASE_URL")
        .args(args)
        .output()
        .expect("finance runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn the_dashboard_reads_and_writes_the_cli_database_with_the_keyboard() {
    if !has_tmux() {
        return;
    }
    let data = seeded(Some("2026-11-01"));

    let tmux = Tmux::start(data.path(), "");

    let screen = tmux.wait_for("Seed");
    assert!(screen.contains("Net worth: 100.00 EUR"), "{screen}");

    // Bad input stays in the form with its message; Esc leaves it.
    tmux.keys(&["a"]);
    tmux.wait_for("Add movement");
    tmux.keys(&["Enter"]);
    tmux.wait_for("must not be empty");
    tmux.keys(&["Escape"]);

    // A movement, typed with the keyboard alone.
    tmux.keys(&["a"]);
    tmux.wait_for("Add movement");
    tmux.text("-12.50");
    tmux.keys(&["Tab"]);
    tmux.text("Lunch");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("Net worth: 87.50 EUR");
    assert!(
        screen.contains("Lunch") && screen.contains("-12.50 EUR"),
        "{screen}"
    );

    // A new account.
    tmux.keys(&["n"]);
    tmux.wait_for("New account");
    tmux.text("Tokyo");
    tmux.keys(&["Tab", "BSpace", "BSpace", "BSpace"]);
    tmux.text("JPY");
    tmux.keys(&["Enter"]);
    tmux.wait_for("0 JPY");

    tmux.help_then_quit();

    let accounts = finance(data.path(), &["accounts", "--json"]);
    let accounts: serde_json::Value = serde_json::from_str(&accounts).expect("json");
    let balances: Vec<(String, String)> = accounts
        .as_array()
        .expect("array")
        .iter()
        .map(|a| {
            (
                a["name"].as_str().unwrap_or("").into(),
                a["balance"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert_eq!(
        balances,
        [
            ("Bank".into(), "87.50".into()),
            ("Tokyo".into(), "0".into())
        ]
    );
}

/// The dashboard follows the change feed: a movement written by another program (the CLI
/// here; the phone through a server alike) appears without a key press.
#[test]
fn a_movement_written_elsewhere_appears_without_a_key_press() {
    if !has_tmux() {
        return;
    }
    let data = seeded(None);
    let tmux = Tmux::start(data.path(), "");
    tmux.wait_for("Seed");
    // Past the dashboard's first look at the feed (it asks every 2 s).
    std::thread::sleep(Duration::from_secs(3));
    finance(data.path(), &["add-movement", "Bank", "-7", "-d", "Phone"]);
    let screen = tmux.wait_for("Phone");
    assert!(screen.contains("Net worth: 93.00 EUR"), "{screen}");
    tmux.help_then_quit();
}

#[test]
fn an_unreachable_server_shows_in_the_status_line_and_never_freezes() {
    if !has_tmux() {
        return;
    }
    let data = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let server = format!("http://127.0.0.1:{port}");
    std::fs::create_dir_all(data.path().join("config")).expect("dir");
    let stored = serde_json::json!({
        "server": server, "email": "ada@example.com", "token": "v4.public.x",
        "expires_at": "2999-01-01T00:00:00Z"
    });
    std::fs::write(
        data.path().join("config/credentials.json"),
        stored.to_string(),
    )
    .expect("write");

    let tmux = Tmux::start(data.path(), &format!("--server {server}"));
    let screen = tmux.wait_for("cannot reach");
    assert!(screen.contains(&format!("127.0.0.1:{port}")), "{screen}");
    // Still answering keys.
    tmux.help_then_quit();
}
