//! Leaving for good: `finance delete-me`.

use super::*;

#[test]
pub(super) fn delete_me_asks_for_the_email_and_takes_only_that_users_books() {
    use std::io::Write;
    let w = World::new();
    for user in ["ada@example.com", "bob@example.com"] {
        w.ok(&[
            "--user",
            user,
            "account",
            "create",
            "Bank",
            "--currency",
            "EUR",
        ]);
        w.ok(&["--user", user, "add-movement", "Bank", "10", "-d", "pay"]);
    }
    let typed = |text: &str| {
        let mut child = w
            .finance(&["--user", "ada@example.com", "delete-me"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("typed");
        child.wait_with_output().expect("ends")
    };
    let wrong = typed("bob@example.com\n");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not deleted"));
    assert_eq!(
        w.json(&["--user", "ada@example.com", "accounts"])[0]["name"],
        "Bank"
    );

    let right = typed(" ADA@example.com \n");
    assert!(
        right.status.success(),
        "{}",
        String::from_utf8_lossy(&right.stderr)
    );
    assert!(String::from_utf8_lossy(&right.stdout).contains("Deleted ada@example.com"));
    assert_eq!(
        w.json(&["--user", "ada@example.com", "accounts"]),
        serde_json::json!([]),
        "the same email starts empty"
    );
    let bob = w.json(&["--user", "bob@example.com", "account", "show", "Bank"]);
    assert_eq!(bob["balance"], "10.00", "another user's books stay");
    w.ok(&["--user", "bob@example.com", "delete-me", "--yes"]);
    assert_eq!(
        w.json(&["--user", "bob@example.com", "accounts"]),
        serde_json::json!([])
    );
}
