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
