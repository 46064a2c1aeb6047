//! Editing and deleting movements in the store, on both engines: the balance moves by the
//! difference in the same transaction, and a change based on an old read writes nothing.

mod support;

use finance_core::domain::*;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::Duration;
use time::macros::date;

async fn edits_and_deletes_move_the_balance(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let first = movement(&a, 1_000, date!(2026 - 01 - 01));
    let second = movement(&a, -250, date!(2026 - 01 - 02));
    for m in [&first, &second] {
        s.add_movement(ada.id, m, None).await.expect("add");
    }
    let read = s.get_movement(ada.id, a.id, first.id).await.expect("get");
    assert_eq!(read.as_ref(), Some(&first));
    assert_eq!(
        s.get_movement(bob.id, a.id, first.id).await.expect("get"),
        None
    );

    let edited = Movement {
        amount: Money::from_minor(1_500, eur()),
        description: "salary, corrected".into(),
        category: None,
        updated_at: NOW + Duration::minutes(1),
        ..first.clone()
    };
    let balance = s
        .update_movement(ada.id, &first, &edited)
        .await
        .expect("edit");
    assert_eq!(balance.minor(), 1_250);
    assert_eq!(balance_of(&s, &a).await, 1_250);
    assert_eq!(
        s.get_movement(ada.id, a.id, first.id).await.expect("get"),
        Some(edited.clone())
    );

    // Based on the state before the edit: nothing is written.
    let late = Movement {
        amount: Money::from_minor(9, eur()),
        ..first.clone()
    };
    assert!(matches!(
        s.update_movement(ada.id, &first, &late).await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        s.delete_movement(ada.id, &first).await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        s.update_movement(bob.id, &edited, &late).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(balance_of(&s, &a).await, 1_250);

    let balance = s.delete_movement(ada.id, &second).await.expect("delete");
    assert_eq!(balance.minor(), 1_500);
    assert_eq!(all_movements(&s, &a).await, vec![edited.clone()]);

    // An archived account takes no changes either.
    let mut archived = a.clone();
    archived.archived = true;
    s.update_account(&archived).await.expect("archive");
    assert!(matches!(
        s.delete_movement(ada.id, &edited).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(balance_of(&s, &a).await, 1_500);
}

async fn an_edit_that_would_overflow_writes_nothing(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Big", eur()).await;
    let big = movement(&a, i64::MAX - 10, date!(2026 - 01 - 01));
    let small = movement(&a, 5, date!(2026 - 01 - 02));
    for m in [&big, &small] {
        s.add_movement(ada.id, m, None).await.expect("add");
    }
    let grown = Movement {
        amount: Money::from_minor(20, eur()),
        updated_at: NOW + Duration::minutes(1),
        ..small.clone()
    };
    let refused = s.update_movement(ada.id, &small, &grown).await;
    assert!(
        matches!(refused, Err(StoreError::BalanceOverflow)),
        "{refused:?}"
    );
    assert_eq!(balance_of(&s, &a).await, i64::MAX - 5);
    assert_eq!(
        s.get_movement(ada.id, a.id, small.id).await.expect("get"),
        Some(small)
    );
}

async fn balance_of(s: &impl Store, a: &Account) -> i64 {
    balance(s, a).await
}

suite!(
    edits_and_deletes_move_the_balance,
    an_edit_that_would_overflow_writes_nothing,
);
