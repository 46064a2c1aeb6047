//! The real `finance` binary in remote mode, against a running `finance-api` server:
//! login, every command through the API, logout, and what a person sees when the server
//! is gone or refuses the token.

#[path = "cli_remote/books.rs"]
mod books;
#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/cli_world.rs"]
mod world;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use world::{World, path};

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
    let log_path = data.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let child = std::process::Command::new(api_binary())
        .current_dir(data.path())
        .env_remove("FINANCE_DATABASE_URL")
        .env_remove("FINANCE_REDIS_URL")
        .env_remove("FINANCE_SMTP_URL")
        .env("FINANCE_DATA_DIR", data.path())
        // Port 0: the system picks a free port, and the server logs which.
        .env("FINANCE_BIND", "127.0.0.1:0")
        .stdout(log.try_clone().expect("log file"))
        .stderr(log)
        .spawn()
        .expect("server starts");
    // Owned by the Server at once, so it is stopped however this ends.
    let mut server = Server {
        child,
        url: String::new(),
        outbox: data.path().join("outbox"),
        _data: data,
    };
    let port = listening::wait_for_port(&log_path, 0);
    server.url = format!("http://127.0.0.1:{port}");
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

    // Renaming, archiving and deleting go through the server too.
    w.ok(&[
        "--server",
        s,
        "account",
        "create",
        "Spare",
        "--currency",
        "EUR",
    ]);
    w.ok(&["--server", s, "account", "rename", "Spare", "Extra"]);
    w.ok(&["--server", s, "account", "archive", "Bank"]);
    let refused = w.fails(&["--server", s, "add-movement", "Bank", "1", "-d", "x"], 1);
    assert!(refused.contains("archived"), "{refused}");
    let listed = w.ok(&["--server", s, "accounts"]);
    assert!(
        listed.contains("Extra") && !listed.contains("Bank"),
        "{listed}"
    );
    assert!(
        w.ok(&["--server", s, "accounts", "--all"])
            .contains("Bank (archived)")
    );
    let used = w.fails(&["--server", s, "account", "delete", "Bank"], 1);
    assert!(used.contains("has movements"), "{used}");
    assert!(
        w.ok(&["--server", s, "account", "delete", "Extra"])
            .contains("Deleted Extra")
    );
    w.ok(&["--server", s, "account", "archive", "Bank", "--unarchive"]);

    // Transfers go through the server as one thing.
    w.ok(&[
        "--server",
        s,
        "account",
        "create",
        "Pot",
        "--currency",
        "EUR",
    ]);
    let moved = w.ok(&["--server", s, "transfer", "Bank", "Pot", "2", "-d", "save"]);
    assert!(moved.contains("Moved 2.00 EUR from Bank to Pot"), "{moved}");
    assert!(
        w.ok(&["--server", s, "account", "show", "Pot"])
            .contains("2.00 EUR")
    );

    // Single movements too, each change checked against the state it was read in.
    let added = w.json(&["--server", s, "add-movement", "Bank", "-5", "-d", "Typo"]);
    let id = added["id"].as_str().expect("id").to_string();
    let edited = w.ok(&[
        "--server", s, "movement", "edit", &id, "--amount", "-7", "-d", "Fixed",
    ]);
    assert!(
        edited.contains("Fixed") && edited.contains("-7.00"),
        "{edited}"
    );
    assert!(
        w.ok(&["--server", s, "movement", "show", &id])
            .contains("Fixed")
    );
    assert!(
        w.ok(&["--server", s, "movement", "delete", &id])
            .contains("Deleted")
    );
    w.fails(&["--server", s, "movement", "show", &id], 1);

    books::reconcile_and_read_the_history(&w, s);
    books::import_a_journal(&w, s);

    // Rates and the converted overview, through the routes (the import as one request).
    let file = w.write("ecb.csv", "Date,JPY,\n2026-11-20,163.12,\n");
    let imported = w.json(&["--server", s, "rates", "import", path(&file)]);
    assert_eq!(imported["added"], 1, "{imported}");
    let bad = w.write("bad.csv", "Date,JPY\n2026-11-21,x\n");
    let refused = w.fails(&["--server", s, "rates", "import", path(&bad)], 1);
    assert!(refused.contains("line 2"), "{refused}");
    w.ok(&[
        "--server",
        s,
        "rates",
        "set",
        "EUR",
        "USD",
        "1.0842",
        "--date",
        "2026-11-20",
    ]);
    let listed = w.json(&["--server", s, "rates", "list", "--base", "EUR"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");
    w.ok(&["--server", s, "config", "base-currency", "JPY"]);
    let me = w.json(&["--server", s, "overview", "--as-of", "2026-11-20"]);
    assert_eq!(me["net_worth"]["currency"], "JPY", "{me}");
    assert_eq!(me["net_worth"]["missing"], serde_json::json!([]), "{me}");
    w.ok(&["--server", s, "rates", "delete", "EUR", "USD", "2026-11-20"]);
    w.ok(&["--server", s, "config", "base-currency", "--clear"]);

    // Splits, tags and rules over the API: the same commands, the same answers.
    w.ok(&[
        "--server",
        s,
        "add-movement",
        "Bank",
        "-3",
        "-d",
        "Bakery",
        "--split",
        "bread:-2",
        "--split",
        "cake:-1",
        "--tag",
        "Sunday",
    ]);
    let tagged = w.json(&["--server", s, "search", "--tag", "sunday"]);
    assert_eq!(tagged[0]["splits"][1]["category"], "cake", "{tagged}");
    assert!(w.ok(&["--server", s, "tags"]).contains("sunday"));
    w.ok(&[
        "--server",
        s,
        "rule",
        "add",
        "Gum",
        "--when-contains",
        "gum",
        "--set-category",
        "sweets",
        "--add-tag",
        "small",
    ]);
    let preview = w.json(&["--server", s, "rule", "preview", "Gum", "--overwrite"]);
    assert_eq!(
        preview["items"][0]["after"]["category"], "sweets",
        "{preview}"
    );
    let applied = w.json(&["--server", s, "rule", "apply", "Gum", "--overwrite"]);
    assert_eq!(applied, serde_json::json!({"changed": 1}));
    let rules = w.json(&["--server", s, "rules"]);
    assert_eq!(rules["items"][0]["applied"], 1, "{rules}");
    let flow = w.json(&[
        "--server",
        s,
        "report",
        "cash-flow",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--tag",
        "small",
    ]);
    assert!(flow.to_string().contains("sweets"), "{flow}");

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
