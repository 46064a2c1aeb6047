//! One repository suite, run against real SQLite always and against real Postgres when
//! `FINANCE_TEST_DATABASE_URL` is set (each Postgres test in a schema of its own, so the
//! tests run in parallel).

mod support;

use std::collections::HashSet;

use finance_core::domain::*;
use finance_core::ports::*;
use proptest::prelude::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::Duration;
use time::macros::date;

#[path = "repository/history.rs"]
mod history;
use history::*;

#[path = "repository/model.rs"]
mod model;

async fn users_are_unique_per_email(s: impl Store) {
    let first = user(&s, "ada@example.com").await;
    let again = user(&s, "ada@example.com").await;
    assert_eq!(first, again);
    assert_eq!(
        s.get_user(first.id).await.expect("get"),
        Some(first.clone())
    );
    let email = Email::parse("nobody@example.com").expect("email");
    assert_eq!(s.find_user_by_email(&email).await.expect("find"), None);
}

async fn accounts_are_scoped_to_their_owner(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let cash = account(&s, ada.id, "Cash", eur()).await;
    account(&s, ada.id, "Bank", eur()).await;
    // Another owner may use the same name.
    account(&s, bob.id, "Cash", eur()).await;

    let dup = Account {
        id: AccountId::random(),
        ..cash.clone()
    };
    assert!(matches!(
        s.create_account(&dup).await,
        Err(StoreError::Refused(
            finance_core::domain::Refusal::NameTaken
        ))
    ));

    assert_eq!(
        s.get_account(ada.id, cash.id).await.expect("get"),
        Some(cash.clone())
    );
    assert_eq!(s.get_account(bob.id, cash.id).await.expect("get"), None);
    assert_eq!(
        s.find_account_by_name(ada.id, "Cash").await.expect("find"),
        Some(cash.clone())
    );
    let names: Vec<String> = s
        .list_accounts(ada.id)
        .await
        .expect("list")
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["Bank", "Cash"]);

    let err = s
        .add_movement(bob.id, &movement(&cash, 100, date!(2026 - 01 - 01)), None)
        .await;
    assert!(matches!(err, Err(StoreError::NotFound)), "{:?}", err);
    assert_eq!(balance(&s, &cash).await, 0);
}

async fn balance_moves_with_each_movement(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bhd = account(&s, ada.id, "Manama", Currency::parse("BHD").expect("BHD")).await;
    for minor in [1_000, -250, 12_345] {
        let added = s
            .add_movement(ada.id, &movement(&bhd, minor, date!(2026 - 03 - 01)), None)
            .await;
        assert!(matches!(added, Ok(Added::Created { .. })));
    }
    assert_eq!(balance(&s, &bhd).await, 13_095);
    let stored = all_movements(&s, &bhd).await;
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[0].amount.to_string(), "12.345");
    assert_eq!(stored[0].category.as_deref(), Some("test"));
}

async fn overflow_writes_nothing(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Big", eur()).await;
    s.add_movement(ada.id, &movement(&a, i64::MAX, date!(2026 - 01 - 01)), None)
        .await
        .expect("max fits");
    let over = s
        .add_movement(ada.id, &movement(&a, 1, date!(2026 - 01 - 02)), None)
        .await;
    assert!(
        matches!(over, Err(StoreError::BalanceOverflow)),
        "{:?}",
        over
    );
    assert_eq!(balance(&s, &a).await, i64::MAX);
    assert_eq!(all_movements(&s, &a).await.len(), 1);
    // The way back down still works.
    s.add_movement(ada.id, &movement(&a, -1, date!(2026 - 01 - 03)), None)
        .await
        .expect("down");
    assert_eq!(balance(&s, &a).await, i64::MAX - 1);
}

async fn pages_newest_first_with_date_filter(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    // 25 movements over 5 days, inserted out of date order.
    let mut expected = Vec::new();
    for i in 0..25i64 {
        let day = date!(2026 - 05 - 01) + Duration::days((i * 3) % 5);
        let m = movement(&a, i + 1, day);
        s.add_movement(ada.id, &m, None).await.expect("add");
        expected.push(m);
    }
    // Newest first: by date descending, then the later insert first.
    let mut order = expected.clone();
    order.reverse();
    order.sort_by_key(|m| std::cmp::Reverse(m.occurred_on));

    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let q = MovementQuery {
            limit: 7,
            cursor,
            ..Default::default()
        };
        let page = s
            .list_movements(std::slice::from_ref(&a), &q)
            .await
            .expect("page");
        assert!(page.items.len() <= 7);
        pages += 1;
        seen.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, order);

    let q = MovementQuery {
        limit: 50,
        from: Some(date!(2026 - 05 - 02)),
        to: Some(date!(2026 - 05 - 03)),
        ..Default::default()
    };
    let page = s
        .list_movements(std::slice::from_ref(&a), &q)
        .await
        .expect("filtered");
    assert_eq!(page.items.len(), 10);
    assert!(
        page.items
            .iter()
            .all(|m| m.occurred_on >= date!(2026 - 05 - 02)
                && m.occurred_on <= date!(2026 - 05 - 03))
    );
    assert_eq!(page.next_cursor, None);
}

async fn idempotency_replays_and_rejects_other_bodies(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let key = IdempotencyKey {
        key: "k-1".into(),
        fingerprint: "body-1".into(),
    };
    let first = movement(&a, 500, date!(2026 - 01 - 01));
    let created = s
        .add_movement(ada.id, &first, Some(key.clone()))
        .await
        .expect("first");
    assert!(matches!(created, Added::Created { .. }));

    let retry = movement(&a, 500, date!(2026 - 01 - 01));
    let replayed = s
        .add_movement(ada.id, &retry, Some(key.clone()))
        .await
        .expect("replay");
    assert_eq!(
        replayed,
        Added::Replayed {
            movement: first.clone()
        }
    );

    let other = IdempotencyKey {
        key: "k-1".into(),
        fingerprint: "body-2".into(),
    };
    let clash = s
        .add_movement(
            ada.id,
            &movement(&a, 900, date!(2026 - 01 - 01)),
            Some(other),
        )
        .await;
    assert!(
        matches!(
            clash,
            Err(StoreError::Refused(
                finance_core::domain::Refusal::IdempotencyKeyReused
            ))
        ),
        "{:?}",
        clash
    );

    // Keys belong to a user: another user may use the same one.
    let bob = user(&s, "bob@example.com").await;
    let b = account(&s, bob.id, "Bank", eur()).await;
    let theirs = s
        .add_movement(bob.id, &movement(&b, 1, date!(2026 - 01 - 01)), Some(key))
        .await;
    assert!(matches!(theirs, Ok(Added::Created { .. })));

    assert_eq!(balance(&s, &a).await, 500);
    assert_eq!(all_movements(&s, &a).await, vec![first]);
}

async fn concurrent_inserts_lose_nothing(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Shared", eur()).await;
    let mut tasks = Vec::new();
    for i in 0..50i64 {
        let (s, a, owner) = (s.clone(), a.clone(), ada.id);
        tasks.push(tokio::spawn(async move {
            // Every fifth request is retried with its key, racing its own first attempt.
            let key = (i % 5 == 0).then(|| IdempotencyKey {
                key: format!("k{i}"),
                fingerprint: "f".into(),
            });
            // Each request carries a movement of its own id, as the use case mints one.
            let m1 = movement(&a, i * 101 - 2_000, date!(2026 - 06 - 01));
            let m2 = movement(&a, i * 101 - 2_000, date!(2026 - 06 - 01));
            let first = s.add_movement(owner, &m1, key.clone());
            let retry = s.add_movement(owner, &m2, key.clone());
            let (first, retry) = tokio::join!(first, retry);
            (
                first.expect("add"),
                key.is_some().then(|| retry.expect("retry")),
            )
        }));
    }
    let mut expected = 0;
    for t in tasks {
        let (first, retry) = t.await.expect("task");
        let amount = match (&first, &retry) {
            (Added::Created { movement, .. }, _) => movement.amount.minor(),
            (Added::Replayed { movement }, _) => movement.amount.minor(),
        };
        expected += amount;
        if retry.is_none() {
            // Requests without a key were sent twice and both count.
            expected += amount;
        }
    }
    assert_eq!(balance(&s, &a).await, expected);
    let stored = all_movements(&s, &a).await;
    assert_eq!(
        stored.len(),
        90,
        "50 requests, 40 of them sent twice without a key"
    );
    assert_eq!(
        stored.iter().map(|m| m.amount.minor()).sum::<i64>(),
        expected
    );
    let ids: HashSet<MovementId> = stored.iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), stored.len());
}

async fn batches_are_all_or_nothing(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let batch: Vec<Movement> = (1..=5)
        .map(|i| movement(&a, i * 100, date!(2026 - 02 - 01)))
        .collect();
    let imported = s
        .import_rows(ada.id, a.id, &keyed(&batch))
        .await
        .expect("batch");
    assert_eq!((imported.added, imported.duplicates), (5, 0));
    assert_eq!(balance(&s, &a).await, 1_500);

    // One movement of the batch would overflow: none is written.
    let mut bad: Vec<Movement> = (1..=3)
        .map(|i| movement(&a, i, date!(2026 - 02 - 02)))
        .collect();
    bad.push(movement(&a, i64::MAX, date!(2026 - 02 - 02)));
    assert!(matches!(
        s.import_rows(ada.id, a.id, &keyed(&bad)).await,
        Err(StoreError::BalanceOverflow)
    ));
    assert_eq!(balance(&s, &a).await, 1_500);
    assert_eq!(all_movements(&s, &a).await.len(), 5);

    // Someone else's account is not found, and untouched.
    let other = (1..=2)
        .map(|i| movement(&a, i, date!(2026 - 02 - 03)))
        .collect::<Vec<_>>();
    assert!(matches!(
        s.import_rows(bob.id, a.id, &keyed(&other)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(all_movements(&s, &a).await.len(), 5);
}

suite!(
    balance_history_reads_balances_and_later_changes,
    users_are_unique_per_email,
    accounts_are_scoped_to_their_owner,
    balance_moves_with_each_movement,
    overflow_writes_nothing,
    pages_newest_first_with_date_filter,
    idempotency_replays_and_rejects_other_bodies,
    concurrent_inserts_lose_nothing,
    batches_are_all_or_nothing,
);
