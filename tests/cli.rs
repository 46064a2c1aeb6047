//! The real `finance` binary: every command on a temporary SQLite database, bad input
//! included, and remote mode against a running `finance-api` server.

#[path = "support/mail.rs"]
mod mail;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;
use std::process::Command;

/// A user's world: a data folder (the local database) and a config folder (the token).
struct World {
    data: tempfile::TempDir,
    config: tempfile::TempDir,
}

impl World {
    fn new() -> Self {
        Self {
            data: tempfile::tempdir().expect("dir"),
            config: tempfile::tempdir().expect("dir"),
        }
    }

    fn finance(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_finance"));
        cmd.current_dir(self.data.path())
            .env_remove("FINANCE_SERVER")
            .env_remove("FINANCE_USER")
            .env_remove("FINANCE_DATABASE_URL")
            .env_remove("FINANCE_REDIS_URL")
            .env_remove("FINANCE_SMTP_URL")
            .env("NO_COLOR", "1")
            .env("FINANCE_DATA_DIR", self.data.path())
            .env("FINANCE_CONFIG_DIR", self.config.path())
            .args(args);
        cmd
    }

    /// Runs a command that must succeed; returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.finance(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("json output")
    }

    /// Runs a command that must fail with `code`; returns its one line of standard error.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out: Output = self.finance(args).output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8(out.stderr).expect("utf-8");
        if code == 1 {
            assert_eq!(
                err.trim_end().lines().count(),
                1,
                "{args:?} should say one line: {err}"
            );
            assert!(err.starts_with("finance: "), "{err}");
        }
        err
    }

    fn balance(&self, account: &str) -> String {
        self.json(&["account", "show", account])["balance"]
            .as_str()
            .expect("balance")
            .to_string()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.data.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn accounts_and_movements_on_the_local_database() {
    let w = World::new();
    assert!(w.ok(&["accounts"]).contains("No accounts yet"));
    assert!(
        w.ok(&["account", "create", "Bank", "--currency", "EUR"])
            .starts_with("Created Bank (EUR)")
    );
    let tokyo = w.json(&["account", "create", "Tokyo trip", "--currency", "JPY"]);
    let tokyo_id = tokyo["id"].as_str().expect("id").to_string();

    let out = w.ok(&[
        "add-movement",
        "Bank",
        "-12.50",
        "--description",
        "Lunch",
        "--category",
        "food",
    ]);
    assert!(
        out.contains("-12.50 EUR") && out.contains("balance -12.50 EUR"),
        "{out}"
    );
    w.ok(&[
        "add-movement",
        "Bank",
        "1000",
        "-d",
        "Salary",
        "--date",
        "2026-11-01",
    ]);
    w.ok(&[
        "add-movement",
        &tokyo_id,
        "5000",
        "-d",
        "Cash",
        "--date",
        "2026-11-02",
    ]);
    assert_eq!(w.balance("Bank"), "987.50");
    assert_eq!(w.balance("Tokyo trip"), "5000");

    // Newest first, aligned, amounts right-aligned with their currency.
    let table = w.ok(&["movements", "Bank"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].starts_with("DATE") && lines[0].contains("AMOUNT"));
    assert!(
        lines[1].contains("  -12.50 EUR  food") && lines[1].ends_with("Lunch"),
        "{table}"
    );
    assert!(lines[2].starts_with("2026-11-01  1000.00 EUR"), "{table}");

    let out = w
        .finance(&["movements", "Bank", "--limit", "1"])
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--all"));
    let all = w.json(&["movements", "Bank", "--limit", "1", "--all"]);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
    let filtered = w.json(&[
        "movements",
        "Bank",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-01",
    ]);
    assert_eq!(filtered["items"][0]["description"], "Salary");

    let overview = w.ok(&["overview"]);
    assert!(
        overview.contains("EUR")
            && overview.contains("987.50 EUR")
            && overview.contains("5000 JPY"),
        "{overview}"
    );
    let profile = w.json(&["overview"]);
    assert_eq!(profile["totals"][0]["balance"], "987.50");
    let accounts = w.json(&["accounts"]);
    assert_eq!(accounts.as_array().map(Vec::len), Some(2));
    assert!(w.ok(&["account", "show", &tokyo_id]).contains("Tokyo trip"));
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["add-movement", "Bank", "10", "-d", "start"]);

    let dup = w.fails(&["account", "create", "Bank", "--currency", "EUR"], 1);
    assert!(dup.contains("already exists"), "{dup}");
    assert!(
        w.fails(&["account", "create", "X", "--currency", "EURO"], 1)
            .contains("currency")
    );
    for bad in [["1.999", "x"], ["0", "x"], ["abc", "x"], ["1", ""]] {
        w.fails(&["add-movement", "Bank", bad[0], "-d", bad[1]], 1);
    }
    assert!(
        w.fails(
            &[
                "add-movement",
                "Bank",
                "1",
                "-d",
                "x",
                "--date",
                "2026-02-30"
            ],
            1
        )
        .contains("occurred_on")
    );
    assert!(w.fails(&["movements", "Nope"], 1).contains("Nope"));
    assert!(
        w.fails(&["movements", "Bank", "--limit", "500"], 1)
            .contains("limit")
    );
    assert!(
        w.fails(&["accounts", "--user", "not-an-email"], 1)
            .contains("not-an-email")
    );
    assert_eq!(w.balance("Bank"), "10.00");
    assert_eq!(
        w.json(&["movements", "Bank"])["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Usage errors exit with 2.
    w.fails(&["movements"], 2);
    w.fails(&["add-movement", "Bank", "1"], 2);
    w.fails(&["frobnicate"], 2);
    w.fails(&["accounts", "--no-such-flag"], 2);
    w.fails(&["completions", "no-shell"], 2);
}

#[test]
fn users_have_separate_books() {
    let w = World::new();
    w.ok(&[
        "--user",
        "ada@example.com",
        "account",
        "create",
        "Mine",
        "--currency",
        "EUR",
    ]);
    let bob = w
        .finance(&["accounts", "--json"])
        .env("FINANCE_USER", "bob@example.com")
        .output()
        .expect("runs");
    assert_eq!(
        serde_json::from_slice::<Value>(&bob.stdout).expect("json"),
        serde_json::json!([])
    );
    let ada = w.json(&["accounts", "--user", "ADA@example.com"]);
    assert_eq!(ada[0]["name"], "Mine");
}

#[test]
fn import_is_all_or_nothing_and_export_round_trips() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    w.ok(&["account", "create", "Copy", "--currency", "EUR"]);
    let good = w.write(
        "good.csv",
        "date,amount,description,category\n2026-10-01,-5.00,Coffee,food\n\n2026-10-02,20,\"Refund, partial\",\n2026-10-03,100.5,Salary,work\n",
    );
    let out = w.ok(&["import", "Bank", path(&good)]);
    assert!(
        out.contains("Imported 3") && out.contains("115.50"),
        "{out}"
    );

    let bad = w.write(
        "bad.csv",
        "2026-10-04,1,ok\n2026-10-05,1,ok\n2026-10-06,1.001,too precise\n",
    );
    let err = w.fails(&["import", "Bank", path(&bad)], 1);
    assert!(
        err.contains("line 3") && err.contains("amount") && err.contains("nothing was imported"),
        "{err}"
    );
    let short = w.write("short.csv", "2026-10-04,1,ok\n2026-10-05,1\n");
    assert!(
        w.fails(&["import", "Bank", path(&short)], 1)
            .contains("line 2")
    );
    assert!(
        w.fails(&["import", "Bank", "/no/such/file.csv"], 1)
            .contains("/no/such/file.csv")
    );
    assert_eq!(w.balance("Bank"), "115.50");
    assert_eq!(
        w.json(&["movements", "Bank"])["items"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );

    // What export writes, import reads back to the same movements.
    let csv = w.ok(&["export", "Bank"]);
    assert!(
        csv.starts_with("date,amount,description,category\n2026-10-01,-5.00,Coffee,food\n"),
        "{csv}"
    );
    assert!(csv.contains("\"Refund, partial\""));
    let copy = w.write("export.csv", &csv);
    w.ok(&["import", "Copy", path(&copy)]);
    assert_eq!(w.balance("Copy"), "115.50");
    assert_eq!(w.ok(&["export", "Copy"]), csv);
}

/// Totals past `i64` are shown exactly, in the table and in JSON.
#[test]
fn the_overview_shows_totals_past_i64() {
    let w = World::new();
    for name in ["A", "B"] {
        w.ok(&["account", "create", name, "--currency", "EUR"]);
        w.ok(&[
            "add-movement",
            name,
            "92233720368547758.07",
            "-d",
            "a fortune",
        ]);
    }
    assert!(w.ok(&["overview"]).contains("184467440737095516.14 EUR"));
    let json = w.json(&["overview"]);
    assert_eq!(json["totals"][0]["balance"], "184467440737095516.14");
}

/// Table and hint share a terminal: every table line ends before the hint starts.
#[test]
fn the_more_hint_comes_on_a_line_of_its_own() {
    let w = World::new();
    w.ok(&["account", "create", "Bank", "--currency", "EUR"]);
    for i in 1..=3 {
        w.ok(&["add-movement", "Bank", &format!("-{i}"), "-d", "x"]);
    }
    let both = w.data.path().join("both.txt");
    let file = std::fs::File::create(&both).expect("file");
    let status = w
        .finance(&["movements", "Bank", "--limit", "2"])
        .stdout(file.try_clone().expect("clone"))
        .stderr(file)
        .status()
        .expect("runs");
    assert!(status.success());
    let text = std::fs::read_to_string(&both).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some("(more movements: use --all, or a larger --limit)"),
        "{text:?}"
    );
    assert_eq!(lines.len(), 4, "header, two rows, the hint: {text:?}");
    assert!(text.ends_with('\n'));
}

#[test]
fn completions_are_printed() {
    let w = World::new();
    let script = w.ok(&["completions", "bash"]);
    assert!(
        script.contains("add-movement") && script.contains("_finance"),
        "{script}"
    );
}

/// The `finance-api` binary, built once if this test run has not built it already.
fn api_binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let bin = PathBuf::from(env!("CARGO_BIN_EXE_finance")).with_file_name("finance-api");
            if !bin.exists() {
                let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
                let status = std::process::Command::new(cargo)
                    .args(["build", "-p", "finance-api"])
                    .status()
                    .expect("cargo runs");
                assert!(status.success(), "building finance-api");
            }
            bin
        })
        .clone()
}

struct Server {
    child: Child,
    url: String,
    outbox: PathBuf,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server() -> Server {
    let data = tempfile::tempdir().expect("dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let child = std::process::Command::new(api_binary())
        .current_dir(data.path())
        .env_remove("FINANCE_DATABASE_URL")
        .env_remove("FINANCE_REDIS_URL")
        .env_remove("FINANCE_SMTP_URL")
        .env("FINANCE_DATA_DIR", data.path())
        .env("FINANCE_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    // Owned by the Server at once, so it is stopped however this ends.
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        outbox: data.path().join("outbox"),
        _data: data,
    };
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not come up");
}

/// `finance login`, answering the prompt with the code from the server's outbox.
fn login(w: &World, server: &Server, email: &str) -> String {
    let mut child = w
        .finance(&["login", email, "--server", &server.url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("login runs");
    let inbox = mail::Inbox::Outbox(server.outbox.clone());
    let mut code = None;
    for _ in 0..100 {
        if std::fs::read_dir(&server.outbox)
            .map(|d| d.count() > 0)
            .unwrap_or(false)
        {
            code = Some(inbox.code_for(email));
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let code = code.expect("a code was mailed");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{code}").expect("type the code");
    drop(stdin);
    let out = child.wait_with_output().expect("login ends");
    assert!(
        out.status.success(),
        "login failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn remote_mode_does_everything_on_the_server() {
    let server = start_server();
    let w = World::new();
    let s = server.url.as_str();
    assert!(
        w.fails(&["--server", s, "accounts"], 1)
            .contains("finance login")
    );

    let out = login(&w, &server, "ada@example.com");
    assert!(
        out.contains("Logged in to") && out.contains("ada@example.com"),
        "{out}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(w.config.path().join("credentials.json")).expect("stored");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }

    w.ok(&[
        "--server",
        s,
        "account",
        "create",
        "Bank",
        "--currency",
        "EUR",
    ]);
    w.ok(&[
        "--server",
        s,
        "add-movement",
        "Bank",
        "-12.50",
        "-d",
        "Lunch",
        "--date",
        "2026-11-02",
    ]);
    let csv = w.write(
        "rows.csv",
        "2026-11-01,100,Salary\n2026-11-03,-0.50,Gum,food\n",
    );
    assert!(
        w.ok(&["--server", s, "import", "Bank", path(&csv)])
            .contains("Imported 2")
    );
    let bad = w.write("bad.csv", "2026-11-04,1,ok\n2026-11-05,zero,bad\n");
    assert!(
        w.fails(&["--server", s, "import", "Bank", path(&bad)], 1)
            .contains("line 2")
    );
    w.fails(
        &["--server", s, "add-movement", "Bank", "1.001", "-d", "x"],
        1,
    );

    let page = w.json(&["--server", s, "movements", "Bank", "--limit", "2", "--all"]);
    let amounts: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["amount"].as_str())
        .collect();
    assert_eq!(amounts, ["-0.50", "-12.50", "100.00"]);
    let overview = w.json(&["--server", s, "overview"]);
    assert_eq!(overview["user"]["email"], "ada@example.com");
    assert_eq!(overview["totals"][0]["balance"], "87.00");
    assert!(
        w.ok(&["--server", s, "export", "Bank"])
            .contains("2026-11-03,-0.50,Gum,food")
    );
    assert!(
        w.ok(&["--server", s, "account", "show", "Bank"])
            .contains("87.00 EUR")
    );

    // The server holds the data; the local database has none of it.
    assert!(w.ok(&["accounts"]).contains("No accounts yet"));

    let token_file = w.config.path().join("credentials.json");
    let stored = std::fs::read_to_string(&token_file).expect("stored token");
    assert!(w.ok(&["logout"]).contains("Logged out"));
    assert!(
        w.fails(&["--server", s, "overview"], 1)
            .contains("finance login")
    );
    // The server was told: the token it issued is refused even if a copy survives.
    std::fs::write(&token_file, stored).expect("restore the copy");
    let err = w.fails(&["--server", s, "overview"], 1);
    assert!(err.contains("refused"), "{err}");
    assert!(
        w.ok(&["logout"]).contains("Logged out"),
        "a refused token is forgotten too"
    );
}

#[test]
fn unreachable_server_and_refused_token_are_one_line() {
    let server = start_server();
    let w = World::new();
    login(&w, &server, "ada@example.com");
    let url = server.url.clone();
    drop(server);
    let err = w.fails(&["--server", &url, "overview"], 1);
    assert!(err.contains(&url) && err.contains("cannot reach"), "{err}");

    // A token the server does not accept (another server's, or tampered).
    let other = start_server();
    let stored = std::fs::read_to_string(w.config.path().join("credentials.json")).expect("stored");
    let moved = stored.replace(&url, &other.url);
    std::fs::write(w.config.path().join("credentials.json"), moved).expect("write");
    let err = w.fails(&["--server", &other.url, "overview"], 1);
    assert!(
        err.contains("refused") && err.contains("finance login"),
        "{err}"
    );
}
