//! The store's balance history.

use super::*;

/// What the net-worth report walks back from: every account's balance (a quiet one too),
/// and per account and day after the date, what moved it; nobody else's.
pub(super) async fn balance_history_reads_balances_and_later_changes(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let cash = account(&s, ada.id, "Cash", eur()).await;
    let quiet = account(&s, ada.id, "Quiet", eur()).await;
    let theirs = account(&s, bob.id, "Cash", eur()).await;
    for (a, owner, minor, day) in [
        (&cash, ada.id, 1_000, date!(2026 - 01 - 10)),
        (&cash, ada.id, -300, date!(2026 - 02 - 01)),
        (&cash, ada.id, -200, date!(2026 - 02 - 01)),
        (&cash, ada.id, 50, date!(2026 - 03 - 05)),
        (&theirs, bob.id, 7, date!(2026 - 02 - 01)),
    ] {
        s.add_movement(owner, &movement(a, minor, day), None)
            .await
            .expect("add");
    }
    let mut history = s
        .balance_history(ada.id, date!(2026 - 01 - 31))
        .await
        .expect("history");
    history.balances.sort();
    history.changes.sort();
    let mut balances = vec![(cash.id, 550), (quiet.id, 0)];
    balances.sort();
    assert_eq!(history.balances, balances);
    assert_eq!(
        history.changes,
        [
            (cash.id, date!(2026 - 02 - 01), -500),
            (cash.id, date!(2026 - 03 - 05), 50)
        ]
    );
}
