//! After the upgrade: the old rows' books (their balance on a day, reconciled and then
//! locked), the history of what changed since, and the change feed.

use finance_core::domain::{MovementQuery, MovementQueryInput, UserRef};
use finance_core::ports::*;
use time::OffsetDateTime;
use time::macros::date;
use uuid::Uuid;

/// The old rows' balance on their day, reconciled and then locked; the history of what
/// changed since the upgrade.
pub async fn check_books(s: &impl DatabaseStore, owner: &UserRef, now: OffsetDateTime, bank: Uuid) {
    let ada = owner.id;
    let bank = finance_core::domain::AccountId(bank);
    let day = date!(2026 - 11 - 30);
    let on = |d| s.balance_on(ada, bank, d);
    assert_eq!(
        on(day - time::Duration::days(1))
            .await
            .expect("before")
            .balance
            .minor(),
        0
    );
    assert_eq!(on(day).await.expect("that day").balance.minor(), 7000);
    let statement = finance_core::domain::Statement {
        date: day,
        balance: on(day).await.expect("balance").balance,
    };
    let id = finance_core::domain::ReconciliationId::random();
    let (done, _) = s
        .reconcile(ada, bank, &statement, id, now, None)
        .await
        .expect("reconcile");
    let finance_core::domain::Reconciled::Recorded(r) = done else {
        panic!("the old rows' balance matches: {done:?}");
    };
    assert_eq!(r.locked, 2, "pay and rent");
    let accounts = s.list_accounts(ada).await.expect("accounts");
    assert_eq!(accounts[0].reconciled_on, Some(day));
    let query = MovementQuery::parse(&MovementQueryInput::default()).expect("query");
    let page = s
        .list_movements(&accounts[..1], &query)
        .await
        .expect("page");
    let locked: Vec<bool> = page.items.iter().map(|m| m.reconciled).collect();
    assert_eq!(
        locked,
        [false, true, true],
        "the receipt of 12-01 is not locked"
    );
    let rent = page
        .items
        .iter()
        .find(|m| m.reconciled)
        .expect("an old row");
    assert!(matches!(
        s.delete_movement(ada, rent, now).await,
        Err(StoreError::Refused(
            finance_core::domain::Refusal::Reconciled
        ))
    ));
    let history = s
        .history(
            ada,
            bank,
            &finance_core::domain::HistoryQuery {
                entity_id: None,
                limit: 50,
                before: None,
            },
        )
        .await
        .expect("history");
    let kinds: Vec<&str> = history.items.iter().map(|e| e.entity.name()).collect();
    assert_eq!(
        kinds,
        [
            "reconciliation",
            "movement",
            "movement",
            "member",
            "member",
            "movement"
        ],
        "the reconciliation, the receipt, the rule's change to rent, bob joining, and the \
         old entry"
    );

    // The change feed holds what changed since the upgrade, in its order (another test's
    // transaction on the same server may hold its line back a moment).
    let wanted: std::collections::BTreeSet<&str> = ["account", "member", "movement", "rule"]
        .into_iter()
        .collect();
    let mut feed = Vec::new();
    for _ in 0..200 {
        feed = s
            .changes(ada, finance_core::domain::FeedPosition::default(), 200)
            .await
            .expect("feed");
        let kinds: std::collections::BTreeSet<&str> =
            feed.iter().map(|r| r.entity.name()).collect();
        if kinds == wanted {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let kinds: std::collections::BTreeSet<&str> = feed.iter().map(|r| r.entity.name()).collect();
    assert_eq!(kinds, wanted, "{feed:?}");
    assert!(feed.windows(2).all(|w| w[0].position < w[1].position));
    assert!(s.feed_head().await.expect("head") >= feed.last().expect("rows").position);
}
