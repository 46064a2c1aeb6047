//! The store against a model of one account, on both engines (proptest).

use super::*;

/// The model of one account: for any sequence of movements, some under idempotency keys
/// (a few keys, reused with the same or another amount), the stored balance is the sum of
/// those accepted; a retry with the same key and amount replays, with another amount is
/// refused, and a movement that would overflow is refused and leaves no trace (its key
/// included). Run on SQLite and on Postgres, where a movement is one statement.
async fn balances_follow_the_model(
    s: &impl Store,
    steps: &[(i64, Option<u8>)],
) -> Result<(), TestCaseError> {
    let ada = user(s, &format!("{}@example.com", uuid::Uuid::new_v4().simple())).await;
    let a = account(s, ada.id, "Prop", eur()).await;
    let mut model: i64 = 0;
    let mut accepted = 0;
    let mut keys: std::collections::HashMap<u8, i64> = std::collections::HashMap::new();
    for (i, (minor, key)) in steps.iter().copied().filter(|(m, _)| *m != 0).enumerate() {
        let m = movement(&a, minor, date!(2026 - 01 - 01) + Duration::days(i as i64));
        let idempotency = key.map(|k| IdempotencyKey {
            key: format!("k{k}"),
            fingerprint: minor.to_string(),
        });
        let result = s.add_movement(ada.id, &m, idempotency).await;
        match key.and_then(|k| keys.get(&k).copied()) {
            Some(first) if first == minor => {
                prop_assert!(matches!(result, Ok(Added::Replayed { .. })), "{:?}", result);
                continue;
            }
            Some(_) => {
                prop_assert!(
                    matches!(
                        result,
                        Err(StoreError::Refused(Refusal::IdempotencyKeyReused))
                    ),
                    "{:?}",
                    result
                );
                continue;
            }
            None => {}
        }
        match model.checked_add(minor) {
            Some(next) => {
                let created =
                    matches!(result, Ok(Added::Created { balance, .. }) if balance.minor() == next);
                prop_assert!(
                    created,
                    "expected a new balance of {}, got {:?}",
                    next,
                    result
                );
                model = next;
                accepted += 1;
                if let Some(k) = key {
                    keys.insert(k, minor);
                }
            }
            None => prop_assert!(
                matches!(result, Err(StoreError::BalanceOverflow)),
                "{:?}",
                result
            ),
        }
    }
    prop_assert_eq!(balance(s, &a).await, model);
    let stored = all_movements(s, &a).await;
    prop_assert_eq!(stored.len(), accepted);
    prop_assert_eq!(
        stored
            .iter()
            .map(|m| i128::from(m.amount.minor()))
            .sum::<i128>(),
        i128::from(model)
    );
    Ok(())
}

fn steps() -> impl Strategy<Value = Vec<(i64, Option<u8>)>> {
    proptest::collection::vec(
        (
            prop_oneof![
                4 => -1_000_000i64..1_000_000,
                1 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(i64::MAX / 2), Just(i64::MIN / 2)],
            ],
            proptest::option::weighted(0.3, 0u8..4),
        ),
        1..20,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn balances_follow_the_model_on_both_engines(steps in steps()) {
        support::on_both_stores!(|s| { balances_follow_the_model(&s, &steps).await });
    }
}
