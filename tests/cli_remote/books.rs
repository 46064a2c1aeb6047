//! Reconciling and the history through a server, in the remote walk.

use super::world::World;

/// Pot holds 2.00 EUR from a transfer made today: reconciled at a wrong balance, then at
/// the right one, read back, then undone (the walk goes on writing to it).
pub fn reconcile_and_read_the_history(w: &World, s: &str) {
    // Reconciling through the routes: a mismatch says by how much, a match locks.
    let today = w.json(&["--server", s, "balance", "Pot"]);
    assert_eq!(today["balance"], "2.00", "{today}");
    let on = today["date"].as_str().expect("date").to_string();
    let off = w.fails(
        &[
            "--server",
            s,
            "reconcile",
            "Pot",
            "--date",
            &on,
            "--balance",
            "3",
        ],
        1,
    );
    assert!(off.contains("by 1.00 EUR"), "{off}");
    let done = w.json(&[
        "--server",
        s,
        "reconcile",
        "Pot",
        "--date",
        &on,
        "--balance",
        "2",
    ]);
    assert_eq!(done["locked"], 1, "{done}");
    let listed = w.json(&["--server", s, "reconciliations", "Pot"]);
    assert_eq!(listed["items"][0]["id"], done["id"], "{listed}");
    let history = w.ok(&["--server", s, "history", "Pot"]);
    assert!(
        history.contains("reconciliation created") && history.contains("transfer created"),
        "{history}"
    );
    assert!(
        w.ok(&["--server", s, "reconcile", "Pot", "--undo"])
            .contains("unlocked")
    );
}

/// A journal imported through the server: a new account with its movement; the user's own
/// export imported again is refused by line (its names are taken), nothing written.
pub fn import_a_journal(w: &World, s: &str) {
    let journal = w.write(
        "gift.journal",
        "2026-11-01 Gift\n    assets:Remote import  5 EUR\n    income:gift\n",
    );
    let made = w.json(&["--server", s, "import-journal", super::path(&journal)]);
    assert_eq!(made["accounts"], 1, "{made}");
    assert_eq!(made["movements"], 1, "{made}");
    let listed = w.ok(&["--server", s, "accounts"]);
    assert!(
        listed.contains("Remote import") && listed.contains("5.00 EUR"),
        "{listed}"
    );
    let books = w.ok(&["--server", s, "export", "--format", "hledger"]);
    let file = w.write("books.journal", &books);
    let refused = w.fails(&["--server", s, "import-journal", super::path(&file)], 1);
    assert!(
        refused.contains("line") && refused.contains("already"),
        "{refused}"
    );
    assert_eq!(w.ok(&["--server", s, "accounts"]), listed);
}
