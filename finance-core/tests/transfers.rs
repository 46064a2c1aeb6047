//! Transfers in the store, on both engines: both legs and both balances together, none
//! on any refusal, and opposite transfers at once neither deadlock nor lose an update.

mod support;

use finance_core::domain::*;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::macros::date;

fn transfer(from: &Account, to: &Account, amount: &str, to_amount: Option<&str>) -> Transfer {
    let input = TransferInput {
        from_account: from.id.to_string(),
        to_account: to.id.to_string(),
        amount: amount.into(),
        to_amount: to_amount.map(Into::into),
        description: "moving".into(),
        occurred_on: Some("2026-03-01".into()),
    };
    Transfer::parse(&input, from, to, NOW, &author(from.owner_id)).expect("valid transfer")
}

async fn a_transfer_moves_both_balances_or_none(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let bank = account(&s, ada.id, "Bank", eur()).await;
    let savings = account(&s, ada.id, "Savings", eur()).await;
    let yen = account(&s, ada.id, "Yen", Currency::parse("JPY").expect("JPY")).await;
    s.add_movement(
        ada.id,
        &movement(&bank, 100_000, date!(2026 - 01 - 01)),
        None,
    )
    .await
    .expect("seed");

    let t = transfer(&bank, &savings, "250.00", None);
    s.add_transfer(ada.id, &t, None).await.expect("transfer");
    assert_eq!(
        (balance(&s, &bank).await, balance(&s, &savings).await),
        (75_000, 25_000)
    );
    assert_eq!(
        s.get_transfer(ada.id, t.id).await.expect("get"),
        Some(t.clone())
    );
    assert_eq!(s.get_transfer(bob.id, t.id).await.expect("get"), None);

    let cross = transfer(&bank, &yen, "10.00", Some("1625"));
    s.add_transfer(ada.id, &cross, None).await.expect("cross");
    assert_eq!(
        (balance(&s, &bank).await, balance(&s, &yen).await),
        (74_000, 1_625)
    );
    let read = s
        .get_transfer(ada.id, cross.id)
        .await
        .expect("get")
        .expect("there");
    assert_eq!(read.rate.as_deref(), Some("162.500000"));

    // A leg is not changed through the movement routes, and its account stays.
    assert!(matches!(
        s.delete_movement(ada.id, &t.to, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        s.delete_account(ada.id, savings.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Refused(_))
    ));

    // Refusals write nothing: someone else's account, an archived one, an overflow.
    let bobs = account(&s, bob.id, "Bob's", eur()).await;
    let theirs = transfer(&bank, &bobs, "1.00", None);
    assert!(matches!(
        s.add_transfer(ada.id, &theirs, None).await,
        Err(StoreError::NotFound)
    ));
    let mut old = account(&s, ada.id, "Old", eur()).await;
    old.archived = true;
    s.update_account(old.owner_id, &old, &old, time::OffsetDateTime::now_utc())
        .await
        .expect("archive");
    let to_old = transfer(&bank, &old, "1.00", None);
    assert!(matches!(
        s.add_transfer(ada.id, &to_old, None).await,
        Err(StoreError::Refused(_))
    ));
    s.add_movement(
        ada.id,
        &movement(&savings, i64::MAX - 25_000, date!(2026 - 01 - 02)),
        None,
    )
    .await
    .expect("fill");
    let over = transfer(&bank, &savings, "1.00", None);
    assert!(matches!(
        s.add_transfer(ada.id, &over, None).await,
        Err(StoreError::BalanceOverflow)
    ));
    assert_eq!(balance(&s, &bank).await, 74_000);
    assert_eq!(s.get_transfer(ada.id, over.id).await.expect("get"), None);

    s.delete_transfer(ada.id, t.id, time::OffsetDateTime::now_utc())
        .await
        .expect("delete");
    assert_eq!(balance(&s, &bank).await, 99_000);
    assert_eq!(balance(&s, &savings).await, i64::MAX - 25_000);
    assert_eq!(s.get_transfer(ada.id, t.id).await.expect("get"), None);
    assert!(matches!(
        s.delete_transfer(ada.id, t.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.delete_transfer(bob.id, cross.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn opposite_transfers_at_once_lose_nothing(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "A", eur()).await;
    let b = account(&s, ada.id, "B", eur()).await;
    let c = account(&s, ada.id, "C", eur()).await;
    for acc in [&a, &b] {
        s.add_movement(
            ada.id,
            &movement(acc, 1_000_000, date!(2026 - 01 - 01)),
            None,
        )
        .await
        .expect("seed");
    }
    let mut tasks = Vec::new();
    for i in 0..16u32 {
        let (s, a, b, c) = (s.clone(), a.clone(), b.clone(), c.clone());
        tasks.push(tokio::spawn(async move {
            // Each client also corrects a movement of its own on the third account.
            let mut mine = movement(&c, 1, date!(2026 - 01 - 02));
            s.add_movement(ada.id, &mine, None).await.expect("seed c");
            for j in 0..10u32 {
                let (from, to) = if (i + j) % 2 == 0 { (&a, &b) } else { (&b, &a) };
                let amount = format!("{}.00", i + 1);
                s.add_transfer(ada.id, &transfer(from, to, &amount, None), None)
                    .await
                    .expect("no deadlock surfaces");
                let edited = Movement {
                    amount: Money::from_minor(i64::from(j) + 2, eur()),
                    updated_at: NOW + time::Duration::seconds(i64::from(j) + 1),
                    ..mine.clone()
                };
                s.update_movement(ada.id, &mine, &edited)
                    .await
                    .expect("edit on a third account");
                mine = edited;
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    // Each client moved (i+1) euros each way five times: A and B end where they started.
    assert_eq!(balance(&s, &a).await, 1_000_000);
    assert_eq!(balance(&s, &b).await, 1_000_000);
    // Each client's movement on C ends at 11 (its last edit).
    assert_eq!(balance(&s, &c).await, 16 * 11);
    for acc in [&a, &b, &c] {
        let sum: i64 = all_movements(&s, acc)
            .await
            .iter()
            .map(|m| m.amount.minor())
            .sum();
        assert_eq!(sum, balance(&s, acc).await);
    }
}

async fn a_keyed_transfer_is_made_once(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bank = account(&s, ada.id, "Bank", eur()).await;
    let savings = account(&s, ada.id, "Savings", eur()).await;
    let key = |f: &str| {
        Some(IdempotencyKey {
            key: "t-1".into(),
            fingerprint: f.into(),
        })
    };
    let first = transfer(&bank, &savings, "5.00", None);
    let made = s
        .add_transfer(ada.id, &first, key("f"))
        .await
        .expect("first");
    assert_eq!(made, AddedTransfer::Created);
    let retry = transfer(&bank, &savings, "5.00", None);
    let again = s
        .add_transfer(ada.id, &retry, key("f"))
        .await
        .expect("retry");
    assert_eq!(again, AddedTransfer::Replayed(Box::new(first)));
    let other = transfer(&bank, &savings, "6.00", None);
    let clash = s.add_transfer(ada.id, &other, key("g")).await;
    assert!(
        matches!(
            clash,
            Err(StoreError::Refused(
                finance_core::domain::Refusal::IdempotencyKeyReused
            ))
        ),
        "{clash:?}"
    );
    assert_eq!(
        (balance(&s, &bank).await, balance(&s, &savings).await),
        (-500, 500)
    );
}

async fn an_edited_transfer_moves_both_balances_again(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bank = account(&s, ada.id, "Bank", eur()).await;
    let yen = account(&s, ada.id, "Yen", Currency::parse("JPY").expect("JPY")).await;
    let t = transfer(&bank, &yen, "10.00", Some("1625"));
    s.add_transfer(ada.id, &t, None).await.expect("transfer");
    let later = NOW + time::Duration::minutes(1);

    let patch = TransferPatch {
        amount: Some("20.00".into()),
        ..TransferPatch::default()
    };
    let edited = patch
        .apply(&t, later, &author(t.from.created_by.id))
        .expect("valid");
    assert_eq!(
        edited.to.amount.minor(),
        1_625,
        "what arrived stays unless given"
    );
    s.update_transfer(ada.id, &t, &edited).await.expect("edit");
    assert_eq!(
        (balance(&s, &bank).await, balance(&s, &yen).await),
        (-2_000, 1_625)
    );
    assert_eq!(
        s.get_transfer(ada.id, t.id).await.expect("get"),
        Some(edited.clone())
    );

    // Based on the old state: nothing is written.
    let stale = TransferPatch {
        to_amount: Some("1".into()),
        ..TransferPatch::default()
    }
    .apply(&t, later, &author(t.from.created_by.id))
    .expect("valid");
    assert!(matches!(
        s.update_transfer(ada.id, &t, &stale).await,
        Err(StoreError::Stale)
    ));
    assert_eq!(balance(&s, &yen).await, 1_625);
}

suite!(
    an_edited_transfer_moves_both_balances_again,
    a_keyed_transfer_is_made_once,
    a_transfer_moves_both_balances_or_none,
    opposite_transfers_at_once_lose_nothing,
);

/// One step of the property below, on three accounts: two in EUR (0, 1), one in JPY (2).
#[derive(Debug, Clone)]
enum Op {
    Add(usize, i64),
    Move(usize, usize, u32, u32),
    EditMove(usize, u32),
    DeleteMove(usize),
    EditPlain(usize, i64),
    DeletePlain(usize),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        2 => (0usize..3, -100_000i64..100_000).prop_map(|(a, m)| Op::Add(a, m)),
        3 => (0usize..3, 0usize..3, 1u32..50_000, 1u32..50_000).prop_map(|(f, t, a, b)| Op::Move(f, t, a, b)),
        1 => (0usize..6, 1u32..50_000).prop_map(|(i, a)| Op::EditMove(i, a)),
        1 => (0usize..6).prop_map(Op::DeleteMove),
        1 => (0usize..6, -100_000i64..100_000).prop_map(|(i, m)| Op::EditPlain(i, m)),
        1 => (0usize..6).prop_map(Op::DeletePlain),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Under any sequence of movements added, edited and deleted and of transfers made,
    /// edited and deleted (same and across currencies), every balance is the sum of its
    /// account's movements, and transfers between the two EUR accounts never change their
    /// sum.
    #[test]
    fn balances_follow_transfers(ops in proptest::collection::vec(op(), 1..20)) {
        support::on_both_stores!(|s| {
            let ada = user(&s, "ada@example.com").await;
            let accounts = [
                account(&s, ada.id, "A", eur()).await,
                account(&s, ada.id, "B", eur()).await,
                account(&s, ada.id, "C", Currency::parse("JPY").expect("JPY")).await,
            ];
            let mut eur_outside: i64 = 0; // what came into A+B other than by A<->B transfers
            let mut made: Vec<Transfer> = Vec::new();
            let mut plain: Vec<(usize, Movement)> = Vec::new();
            for (step, op) in ops.clone().into_iter().enumerate() {
                let later = NOW + time::Duration::seconds(step as i64 + 1);
                match op {
                    Op::Add(a, minor) if minor != 0 => {
                        let m = movement(&accounts[a], minor, date!(2026 - 01 - 01));
                        s.add_movement(ada.id, &m, None).await.expect("small amounts fit");
                        if a < 2 { eur_outside += minor; }
                        plain.push((a, m));
                    }
                    Op::EditPlain(i, minor) if !plain.is_empty() && minor != 0 => {
                        let i = i % plain.len();
                        let (a, before) = plain[i].clone();
                        let after = Movement {
                            amount: Money::from_minor(minor, before.amount.currency()),
                            updated_at: later,
                            ..before.clone()
                        };
                        s.update_movement(ada.id, &before, &after).await.expect("edit");
                        if a < 2 { eur_outside += minor - before.amount.minor(); }
                        plain[i] = (a, after);
                    }
                    Op::DeletePlain(i) if !plain.is_empty() => {
                        let (a, gone) = plain.remove(i % plain.len());
                        s.delete_movement(ada.id, &gone, time::OffsetDateTime::now_utc()).await.expect("delete");
                        if a < 2 { eur_outside -= gone.amount.minor(); }
                    }
                    Op::Move(f, t, amount, arrived) if f != t => {
                        let (from, to) = (&accounts[f], &accounts[t]);
                        let whole = format!("{}.{:02}", amount / 100, amount % 100);
                        let to_amount = (from.currency != to.currency).then(|| {
                            if t == 2 { arrived.to_string() } else { format!("{}.{:02}", arrived / 100, arrived % 100) }
                        });
                        let amount_text = if f == 2 { amount.to_string() } else { whole };
                        let tr = transfer(from, to, &amount_text, to_amount.as_deref());
                        s.add_transfer(ada.id, &tr, None).await.expect("transfer");
                        if f < 2 && t == 2 { eur_outside += tr.from.amount.minor(); }
                        if f == 2 && t < 2 { eur_outside += tr.to.amount.minor(); }
                        made.push(tr);
                    }
                    Op::EditMove(i, amount) if !made.is_empty() => {
                        let i = i % made.len();
                        let before = made[i].clone();
                        let f_jpy = before.from.amount.currency().code() == "JPY";
                        let text = if f_jpy { amount.to_string() } else { format!("{}.{:02}", amount / 100, amount % 100) };
                        let patch = TransferPatch { amount: Some(text), ..TransferPatch::default() };
                        let after = patch.apply(&before, later, &author(before.from.created_by.id)).expect("valid edit");
                        s.update_transfer(ada.id, &before, &after).await.expect("edit");
                        let eur_delta = |t: &Transfer| {
                            let (f, to) = (&t.from, &t.to);
                            let fe = f.amount.currency().code() == "EUR";
                            let te = to.amount.currency().code() == "EUR";
                            match (fe, te) { (true, true) => 0, (true, false) => f.amount.minor(), (false, true) => to.amount.minor(), _ => 0 }
                        };
                        eur_outside += eur_delta(&after) - eur_delta(&before);
                        made[i] = after;
                    }
                    Op::DeleteMove(i) if !made.is_empty() => {
                        let i = i % made.len();
                        let gone = made.remove(i);
                        s.delete_transfer(ada.id, gone.id, time::OffsetDateTime::now_utc()).await.expect("delete");
                        let fe = gone.from.amount.currency().code() == "EUR";
                        let te = gone.to.amount.currency().code() == "EUR";
                        if fe && !te { eur_outside -= gone.from.amount.minor(); }
                        if !fe && te { eur_outside -= gone.to.amount.minor(); }
                    }
                    _ => {}
                }
                for a in &accounts {
                    let sum: i64 = all_movements(&s, a).await.iter().map(|m| m.amount.minor()).sum();
                    proptest::prop_assert_eq!(balance(&s, a).await, sum);
                }
                let eur_sum = balance(&s, &accounts[0]).await + balance(&s, &accounts[1]).await;
                proptest::prop_assert_eq!(eur_sum, eur_outside);
            }
            Ok(())
        });
    }
}
