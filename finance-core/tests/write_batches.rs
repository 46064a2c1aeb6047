//! Writes that arrive together: SQLite commits them as one group, Postgres each in one
//! statement. A write refused among them (a missing account, an overflow, a key used with
//! another request) must write nothing of its own and take nothing from the others.

mod support;

use finance_core::domain::Account;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::macros::date;

async fn refused_writes_leave_the_rest_of_a_group_alone(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let nearly_full = account(&s, ada.id, "Nearly full", eur()).await;
    let plain = account(&s, ada.id, "Plain", eur()).await;
    let bobs = account(&s, bob.id, "Bob's", eur()).await;
    s.add_movement(
        ada.id,
        &movement(&nearly_full, i64::MAX - 10, date!(2026 - 01 - 01)),
        None,
    )
    .await
    .expect("seed");

    let key = |i: usize| IdempotencyKey {
        key: format!("k{i}"),
        fingerprint: format!("f{i}"),
    };
    // All at once, so that they queue together: 20 keyed writes of which only 10 fit,
    // 10 to another account, 5 to an account that is not Ada's.
    let mut tasks = Vec::new();
    for i in 0..35 {
        let s = s.clone();
        let (target, amount) = match i {
            0..20 => (nearly_full.clone(), 1),
            20..30 => (plain.clone(), 100),
            _ => (bobs.clone(), 7),
        };
        let k = (i < 20).then(|| key(i));
        tasks.push(tokio::spawn(async move {
            let m = movement(&target, amount, date!(2026 - 02 - 01));
            s.add_movement(ada.id, &m, k).await
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.expect("task"));
    }

    let created = |range: std::ops::Range<usize>| {
        outcomes[range]
            .iter()
            .filter(|o| matches!(o, Ok(Added::Created { .. })))
            .count()
    };
    assert_eq!(created(0..20), 10, "{:?}", &outcomes[0..20]);
    let overflowed: Vec<usize> = (0..20)
        .filter(|&i| matches!(outcomes[i], Err(StoreError::BalanceOverflow)))
        .collect();
    assert_eq!(overflowed.len(), 10, "{:?}", &outcomes[0..20]);
    assert_eq!(created(20..30), 10);
    assert!(
        outcomes[30..]
            .iter()
            .all(|o| matches!(o, Err(StoreError::NotFound)))
    );

    assert_eq!(balance(&s, &nearly_full).await, i64::MAX);
    assert_eq!(all_movements(&s, &nearly_full).await.len(), 11);
    assert_eq!(balance(&s, &plain).await, 1_000);
    assert_eq!(all_movements(&s, &plain).await.len(), 10);
    assert_eq!(balance(&s, &bobs).await, 0);
    assert!(all_movements(&s, &bobs).await.is_empty());

    // A refused write kept no key: once there is room, the same request is new, not a replay.
    s.add_movement(
        ada.id,
        &movement(&nearly_full, -5, date!(2026 - 02 - 02)),
        None,
    )
    .await
    .expect("room");
    let again = s
        .add_movement(
            ada.id,
            &movement(&nearly_full, 1, date!(2026 - 02 - 01)),
            Some(key(overflowed[0])),
        )
        .await;
    assert!(matches!(again, Ok(Added::Created { .. })), "{again:?}");
    assert_eq!(balance(&s, &nearly_full).await, i64::MAX - 4);
}

/// One key sent twice at once, as a retry racing its first attempt: the outcomes are those
/// of the two one after the other, whichever comes first.
async fn a_key_twice_in_one_group(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let full = account(&s, ada.id, "Full", eur()).await;
    s.add_movement(
        ada.id,
        &movement(&full, i64::MAX - 1, date!(2026 - 01 - 01)),
        None,
    )
    .await
    .expect("seed");
    let key = |k: &str, f: &str| {
        Some(IdempotencyKey {
            key: k.into(),
            fingerprint: f.into(),
        })
    };
    let twice = |target: &Account, amount, first, second| {
        let (s, target) = (s.clone(), target.clone());
        async move {
            let (m1, m2) = (
                movement(&target, amount, date!(2026 - 03 - 01)),
                movement(&target, amount, date!(2026 - 03 - 01)),
            );
            let one = s.add_movement(ada.id, &m1, first);
            let two = s.add_movement(ada.id, &m2, second);
            let (one, two) = tokio::join!(one, two);
            let mut both = [one, two];
            // The one that was written first, first.
            both.sort_by_key(|o| !matches!(o, Ok(Added::Created { .. })));
            both
        }
    };

    let [first, retry] = twice(&a, 250, key("same", "f"), key("same", "f")).await;
    let Ok(Added::Created { movement, .. }) = first else {
        panic!("{first:?}")
    };
    assert!(
        matches!(&retry, Ok(Added::Replayed { movement: m }) if *m == movement),
        "{retry:?}"
    );

    let [first, other] = twice(&a, 100, key("clash", "f1"), key("clash", "f2")).await;
    assert!(matches!(first, Ok(Added::Created { .. })), "{first:?}");
    assert!(
        matches!(
            other,
            Err(StoreError::Refused(
                finance_core::domain::Refusal::IdempotencyKeyReused
            ))
        ),
        "{other:?}"
    );

    // Refused for overflow, both: the first leaves no key behind for the second to replay.
    let [one, two] = twice(&full, 5, key("big", "f"), key("big", "f")).await;
    assert!(matches!(one, Err(StoreError::BalanceOverflow)), "{one:?}");
    assert!(matches!(two, Err(StoreError::BalanceOverflow)), "{two:?}");

    assert_eq!(balance(&s, &a).await, 350);
    assert_eq!(all_movements(&s, &a).await.len(), 2);
    assert_eq!(balance(&s, &full).await, i64::MAX - 1);
    assert_eq!(all_movements(&s, &full).await.len(), 1);
}

suite!(
    refused_writes_leave_the_rest_of_a_group_alone,
    a_key_twice_in_one_group
);
