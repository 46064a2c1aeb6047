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
        s.delete_movement(ada.id, &first, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        s.update_movement(bob.id, &edited, &late).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(balance_of(&s, &a).await, 1_250);

    let balance = s
        .delete_movement(ada.id, &second, time::OffsetDateTime::now_utc())
        .await
        .expect("delete");
    assert_eq!(balance.minor(), 1_500);
    assert_eq!(all_movements(&s, &a).await, vec![edited.clone()]);

    // An archived account takes no changes either.
    let mut archived = a.clone();
    archived.archived = true;
    s.update_account(
        archived.owner_id,
        &archived,
        &archived,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("archive");
    assert!(matches!(
        s.delete_movement(ada.id, &edited, time::OffsetDateTime::now_utc())
            .await,
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

/// Only the result has to fit: taking the old amount out first may pass the limit on the
/// way (MAX, then -20, then 10; -20 becomes -15, the others alone would sum past MAX).
async fn an_edit_whose_result_fits_is_made(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Edge", eur()).await;
    let minus = movement(&a, -20, date!(2026 - 01 - 02));
    for m in [
        movement(&a, i64::MAX, date!(2026 - 01 - 01)),
        minus.clone(),
        movement(&a, 10, date!(2026 - 01 - 03)),
    ] {
        s.add_movement(ada.id, &m, None).await.expect("add");
    }
    let after = Movement {
        amount: Money::from_minor(-15, eur()),
        updated_at: NOW + Duration::minutes(1),
        ..minus.clone()
    };
    let balance = s
        .update_movement(ada.id, &minus, &after)
        .await
        .expect("fits");
    assert_eq!(balance.minor(), i64::MAX - 5);
    assert_eq!(balance_of(&s, &a).await, i64::MAX - 5);
}

suite!(
    edits_and_deletes_move_the_balance,
    an_edit_that_would_overflow_writes_nothing,
    an_edit_whose_result_fits_is_made,
);

/// One step of the property below: add an amount, change the i-th stored movement to an
/// amount, or delete the i-th.
#[derive(Debug, Clone)]
enum Op {
    Add(i64),
    Edit(usize, i64),
    Delete(usize),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    let amount = prop_oneof![
        6 => -1_000_000i64..1_000_000,
        1 => prop_oneof![Just(i64::MAX), Just(i64::MIN + 1), Just(i64::MAX / 2)],
    ];
    prop_oneof![
        3 => amount.clone().prop_map(Op::Add),
        2 => (0usize..8, amount).prop_map(|(i, a)| Op::Edit(i, a)),
        1 => (0usize..8).prop_map(Op::Delete),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 32, ..Default::default() })]

    /// Under any sequence of adds, edits and deletes (overflowing ones refused with
    /// nothing written), the stored balance is the sum of the stored movements, and both
    /// equal a model kept beside them.
    #[test]
    fn the_balance_is_the_sum_of_its_movements_under_edits(
        ops in proptest::collection::vec(op(), 1..25)
    ) {
        support::on_both_stores!(|s| {
            let ada = user(&s, "ada@example.com").await;
            let a = account(&s, ada.id, "Prop", eur()).await;
            let mut model: Vec<Movement> = Vec::new();
            let sum = |ms: &[Movement]| ms.iter().map(|m| i128::from(m.amount.minor())).sum::<i128>();
            for (step, op) in ops.clone().into_iter().enumerate() {
                let later = NOW + Duration::seconds(step as i64 + 1);
                match op {
                    Op::Add(minor) if minor != 0 => {
                        let m = movement(&a, minor, date!(2026 - 01 - 01));
                        let fits = i64::try_from(sum(&model) + i128::from(minor)).is_ok();
                        let result = s.add_movement(ada.id, &m, None).await;
                        proptest::prop_assert_eq!(result.is_ok(), fits, "{:?}", result);
                        if fits { model.push(m); }
                    }
                    Op::Edit(i, minor) if !model.is_empty() && minor != 0 => {
                        let i = i % model.len();
                        let before = model[i].clone();
                        let after = Movement { amount: Money::from_minor(minor, eur()), updated_at: later, ..before.clone() };
                        let fits = i64::try_from(sum(&model) - i128::from(before.amount.minor()) + i128::from(minor)).is_ok();
                        let result = s.update_movement(ada.id, &before, &after).await;
                        proptest::prop_assert_eq!(result.is_ok(), fits, "{:?}", result);
                        if fits { model[i] = after; }
                    }
                    Op::Delete(i) if !model.is_empty() => {
                        let i = i % model.len();
                        let fits = i64::try_from(sum(&model) - i128::from(model[i].amount.minor())).is_ok();
                        let result = s.delete_movement(ada.id, &model[i], time::OffsetDateTime::now_utc()).await;
                        proptest::prop_assert_eq!(result.is_ok(), fits, "{:?}", result);
                        if fits { model.remove(i); }
                    }
                    _ => {}
                }
                proptest::prop_assert_eq!(i128::from(balance(&s, &a).await), sum(&model));
            }
            let stored = all_movements(&s, &a).await;
            proptest::prop_assert_eq!(stored.len(), model.len());
            proptest::prop_assert_eq!(sum(&stored), sum(&model));
            Ok(())
        });
    }
}
