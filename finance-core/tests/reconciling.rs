//! Reconciling in the store, on both engines, against a model: under any sequence of
//! movements added, edited and deleted, transfers made, reconciliations made (matching or
//! not) and the latest undone, a reconciled movement never changes, the balance on a
//! reconciled day never changes while its reconciliation stands, nothing is written on or
//! before the latest reconciled day, and every balance is the sum of its movements.

mod support;

use std::collections::HashMap;

use finance_core::domain::*;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use time::Date;
use time::macros::date;

#[derive(Debug, Clone)]
enum Op {
    Add(usize, i64, u8),
    Edit(usize, i64, u8),
    Delete(usize),
    Move(usize, u32, u8),
    Reconcile(usize, u8, bool),
    Undo(usize),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0usize..2, -10_000i64..10_000, 1u8..=20).prop_map(|(a, m, d)| Op::Add(a, m, d)),
        2 => (0usize..8, -10_000i64..10_000, 1u8..=20).prop_map(|(i, m, d)| Op::Edit(i, m, d)),
        1 => (0usize..8).prop_map(Op::Delete),
        2 => (0usize..2, 1u32..5_000, 1u8..=20).prop_map(|(f, a, d)| Op::Move(f, a, d)),
        2 => (0usize..2, 1u8..=20, any::<bool>()).prop_map(|(a, d, right)| Op::Reconcile(a, d, right)),
        1 => (0usize..2).prop_map(Op::Undo),
    ]
}

fn day(d: u8) -> Date {
    date!(2026 - 01 - 01) + time::Duration::days(i64::from(d) - 1)
}

fn reconciled(result: Result<impl std::fmt::Debug, StoreError>) -> bool {
    matches!(result, Err(StoreError::Refused(Refusal::Reconciled)))
}

/// One reconciliation standing: its account, day and balance, and the movements it
/// covers as they were then.
struct Standing {
    account: usize,
    id: ReconciliationId,
    day: Date,
    balance: i64,
    covered: Vec<Movement>,
}

/// Every movement of the account, newest first, read with the account as it is now.
async fn movements_of(s: &impl Store, a: &Account) -> Vec<Movement> {
    let now = s
        .get_account(a.owner_id, a.id)
        .await
        .expect("read")
        .expect("exists");
    all_movements(s, &now).await
}

/// The movements a reconciliation covers, as they compare: what they say, not who read them.
fn covered(all: &[Movement], through: Date) -> Vec<(MovementId, i64, String, Date)> {
    let mut out: Vec<_> = all
        .iter()
        .filter(|m| m.occurred_on <= through)
        .map(|m| (m.id, m.amount.minor(), m.description.clone(), m.occurred_on))
        .collect();
    out.sort();
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    #[test]
    fn reconciled_books_never_change(ops in proptest::collection::vec(op(), 1..30)) {
        support::on_both_stores!(|s| {
            let ada = user(&s, "ada@example.com").await;
            let accounts = [
                account(&s, ada.id, "A", eur()).await,
                account(&s, ada.id, "B", eur()).await,
            ];
            let mut through: [Option<Date>; 2] = [None, None];
            let mut standing: Vec<Standing> = Vec::new();
            let mut plain: Vec<(usize, Movement)> = Vec::new();
            for (step, op) in ops.clone().into_iter().enumerate() {
                let later = NOW + time::Duration::seconds(step as i64 + 1);
                let open = |a: usize, d: Date, through: &[Option<Date>; 2]| through[a].is_none_or(|t| d > t);
                match op {
                    Op::Add(a, minor, d) if minor != 0 => {
                        let m = movement(&accounts[a], minor, day(d));
                        let added = s.add_movement(ada.id, &m, None).await;
                        if open(a, day(d), &through) {
                            added.expect("an open day takes movements");
                            plain.push((a, m));
                        } else {
                            proptest::prop_assert!(reconciled(added));
                        }
                    }
                    Op::Edit(i, minor, d) if !plain.is_empty() && minor != 0 => {
                        let i = i % plain.len();
                        let (a, before) = plain[i].clone();
                        let after = Movement {
                            amount: Money::from_minor(minor, before.amount.currency()),
                            occurred_on: day(d),
                            updated_at: later,
                            ..before.clone()
                        };
                        let edited = s.update_movement(ada.id, &before, &after).await;
                        if open(a, before.occurred_on, &through) && open(a, day(d), &through) {
                            edited.expect("an open movement changes");
                            plain[i] = (a, after);
                        } else {
                            proptest::prop_assert!(reconciled(edited));
                        }
                    }
                    Op::Delete(i) if !plain.is_empty() => {
                        let i = i % plain.len();
                        let (a, gone) = plain[i].clone();
                        let deleted = s.delete_movement(ada.id, &gone, later).await;
                        if open(a, gone.occurred_on, &through) {
                            deleted.expect("an open movement goes");
                            plain.remove(i);
                        } else {
                            proptest::prop_assert!(reconciled(deleted));
                        }
                    }
                    Op::Move(f, amount, d) => {
                        let (from, to) = (&accounts[f], &accounts[1 - f]);
                        let input = TransferInput {
                            from_account: from.id.to_string(),
                            to_account: to.id.to_string(),
                            amount: format!("{}.{:02}", amount / 100, amount % 100),
                            to_amount: None,
                            description: "moving".into(),
                            occurred_on: Some(day(d).to_string()),
                        };
                        let t = Transfer::parse(&input, from, to, later, &author(ada.id)).expect("valid");
                        let made = s.add_transfer(ada.id, &t, None).await;
                        if open(f, day(d), &through) && open(1 - f, day(d), &through) {
                            made.expect("open days take transfers");
                        } else {
                            proptest::prop_assert!(reconciled(made));
                        }
                    }
                    Op::Reconcile(a, d, right) => {
                        let all = movements_of(&s, &accounts[a]).await;
                        let ledger: i64 = all.iter().filter(|m| m.occurred_on <= day(d)).map(|m| m.amount.minor()).sum();
                        let said = if right { ledger } else { ledger + 1 };
                        let statement = Statement { date: day(d), balance: Money::from_minor(said, eur()) };
                        let id = ReconciliationId::random();
                        let done = s.reconcile(ada.id, accounts[a].id, &statement, id, later, None).await;
                        match (open(a, day(d), &through), right) {
                            (false, _) => proptest::prop_assert!(reconciled(done)),
                            (true, false) => {
                                let (found, _) = done.expect("compared");
                                proptest::prop_assert_eq!(found, Reconciled::Mismatch { ledger: Money::from_minor(ledger, eur()) });
                            }
                            (true, true) => {
                                let (found, _) = done.expect("compared");
                                let Reconciled::Recorded(r) = found else {
                                    return Err(proptest::test_runner::TestCaseError::fail("a matching statement is recorded"));
                                };
                                let newly = all.iter().filter(|m| m.occurred_on <= day(d) && open(a, m.occurred_on, &through)).count();
                                proptest::prop_assert_eq!(r.locked, newly as u64);
                                through[a] = Some(day(d));
                                let covered = all.into_iter().filter(|m| m.occurred_on <= day(d)).collect();
                                standing.push(Standing { account: a, id, day: day(d), balance: ledger, covered });
                            }
                        }
                    }
                    Op::Undo(a) => {
                        let latest = standing.iter().rposition(|r| r.account == a);
                        let list = s.reconciliations(ada.id, accounts[a].id).await.expect("list");
                        proptest::prop_assert_eq!(list.len(), standing.iter().filter(|r| r.account == a).count());
                        if let Some(i) = latest {
                            // An older one stays, and says so.
                            if let Some(older) = standing.iter().filter(|r| r.account == a).rev().nth(1) {
                                let refused = s.delete_reconciliation(ada.id, accounts[a].id, older.id, later).await;
                                proptest::prop_assert!(reconciled(refused));
                            }
                            let gone = standing.remove(i);
                            s.delete_reconciliation(ada.id, accounts[a].id, gone.id, later).await.expect("the latest goes");
                            through[a] = standing.iter().rev().find(|r| r.account == a).map(|r| r.day);
                        }
                    }
                    _ => {}
                }
                let mut seen: HashMap<usize, Vec<Movement>> = HashMap::new();
                for (a, account) in accounts.iter().enumerate() {
                    let all = movements_of(&s, account).await;
                    let sum: i64 = all.iter().map(|m| m.amount.minor()).sum();
                    proptest::prop_assert_eq!(balance(&s, account).await, sum);
                    for m in &all {
                        proptest::prop_assert_eq!(m.reconciled, !open(a, m.occurred_on, &through), "{:?}", m);
                    }
                    seen.insert(a, all);
                }
                for r in &standing {
                    let on = s.balance_on(ada.id, accounts[r.account].id, r.day).await.expect("balance on");
                    proptest::prop_assert_eq!(on.balance.minor(), r.balance);
                    proptest::prop_assert_eq!(covered(&seen[&r.account], r.day), covered(&r.covered, r.day));
                }
            }
            Ok(())
        });
    }
}
