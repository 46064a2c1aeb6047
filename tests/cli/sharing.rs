//! Sharing from the command line, local mode: several local users on one database.

use super::*;

#[test]
pub(super) fn share_join_write_hand_over_and_leave() {
    let w = World::new();
    fn as_user<'a>(user: &'a str, args: &[&'a str]) -> Vec<&'a str> {
        [&["--user", user], args].concat()
    }
    let ada = |args: &[&'static str]| as_user("ada@example.com", args);
    let bob = |args: &[&'static str]| as_user("bob@example.com", args);
    w.ok(&ada(&["account", "create", "Joint", "--currency", "EUR"]));
    w.ok(&ada(&["add-movement", "Joint", "-20", "-d", "rent"]));
    w.ok(&bob(&["accounts"]));
    let out = w.ok(&ada(&[
        "share",
        "Joint",
        "bob@example.com",
        "--role",
        "viewer",
    ]));
    assert!(
        out.contains("Invited bob@example.com to Joint as viewer"),
        "{out}"
    );
    let out = w.ok(&bob(&["invitations"]));
    assert!(
        out.contains("Joint (EUR)") && out.contains("ada@example.com"),
        "{out}"
    );
    let invitations = w.json(&bob(&["invitations"]));
    let id = invitations["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let out = w.ok(&as_user(
        "bob@example.com",
        &["invitations", "--accept", &id],
    ));
    assert!(out.contains("You are now a viewer of Joint"), "{out}");

    // Bob sees it, marked as shared, and may not write as a viewer.
    let out = w.ok(&bob(&["accounts"]));
    assert!(
        out.contains("Joint (shared by ada@example.com, viewer)"),
        "{out}"
    );
    let refused = w.fails(&bob(&["add-movement", "Joint", "-1", "-d", "bread"]), 1);
    assert!(refused.contains("role"), "{refused}");
    let members = w.json(&ada(&["members", "Joint"]));
    assert_eq!(members["items"][1]["role"], "viewer", "{members}");

    // Handed over: Bob owns it, Ada edits and then leaves.
    let out = w.ok(&ada(&["account", "hand-over", "Joint", "bob@example.com"]));
    assert!(out.contains("bob@example.com now owns Joint"), "{out}");
    w.ok(&ada(&["add-movement", "Joint", "-1", "-d", "bread"]));
    let out = w.ok(&bob(&["account", "show", "Joint"]));
    assert!(out.contains("your role owner"), "{out}");
    let refused = w.fails(&bob(&["leave", "Joint"]), 1);
    assert!(refused.contains("hand the account over"), "{refused}");
    let out = w.ok(&ada(&["leave", "Joint"]));
    assert!(out.contains("You left Joint"), "{out}");
    assert_eq!(w.json(&ada(&["accounts"])), serde_json::json!([]));
    assert_eq!(
        w.json(&bob(&["account", "show", "Joint"]))["balance"],
        "-21.00"
    );

    // An invitation not answered yet is withdrawn by email.
    w.ok(&bob(&[
        "share",
        "Joint",
        "ada@example.com",
        "--role",
        "editor",
    ]));
    let out = w.ok(&bob(&["members", "Joint", "--remove", "ada@example.com"]));
    assert!(out.contains("Removed ada@example.com"), "{out}");
    assert_eq!(
        w.json(&ada(&["invitations"]))["items"],
        serde_json::json!([])
    );
}
