//! Renaming, archiving and deleting accounts, and deleting a user, on both engines.

mod support;

use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::macros::date;

async fn rename_and_archive_are_the_owners_alone(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let bank = account(&s, ada.id, "Bank", eur()).await;
    account(&s, ada.id, "Cash", eur()).await;

    let mut renamed = bank.clone();
    renamed.name = "Savings".into();
    renamed.archived = true;
    s.update_account(ada.id, &renamed, &renamed, time::OffsetDateTime::now_utc())
        .await
        .expect("update");
    let stored = s
        .get_account(ada.id, bank.id)
        .await
        .expect("read")
        .expect("there");
    assert_eq!(stored, renamed);
    assert!(
        s.list_accounts(ada.id)
            .await
            .expect("list")
            .iter()
            .any(|a| a.archived)
    );

    let mut taken = renamed.clone();
    taken.name = "Cash".into();
    assert!(matches!(
        s.update_account(ada.id, &taken, &taken, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Refused(
            finance_core::domain::Refusal::NameTaken
        ))
    ));
    let mut theirs = renamed.clone();
    theirs.name = "Mine".into();
    assert!(matches!(
        s.update_account(bob.id, &theirs, &theirs, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        s.get_account(ada.id, bank.id).await.expect("read"),
        Some(renamed)
    );
}

async fn an_archived_account_takes_no_movements(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let mut a = account(&s, ada.id, "Old", eur()).await;
    s.add_movement(ada.id, &movement(&a, 100, date!(2026 - 01 - 01)), None)
        .await
        .expect("while open");
    a.archived = true;
    s.update_account(a.owner_id, &a, &a, time::OffsetDateTime::now_utc())
        .await
        .expect("archive");
    let key = IdempotencyKey {
        key: "k".into(),
        fingerprint: "f".into(),
    };
    for k in [None, Some(key)] {
        let refused = s
            .add_movement(ada.id, &movement(&a, 5, date!(2026 - 01 - 02)), k)
            .await;
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{refused:?}"
        );
    }
    let batch = s
        .import_rows(
            ada.id,
            a.id,
            &keyed(&[movement(&a, 5, date!(2026 - 01 - 02))]),
        )
        .await;
    assert!(matches!(batch, Err(StoreError::Refused(_))), "{batch:?}");
    assert_eq!(balance(&s, &a).await, 100);
    assert_eq!(all_movements(&s, &a).await.len(), 1);

    a.archived = false;
    s.update_account(a.owner_id, &a, &a, time::OffsetDateTime::now_utc())
        .await
        .expect("unarchive");
    s.add_movement(ada.id, &movement(&a, 5, date!(2026 - 01 - 03)), None)
        .await
        .expect("open again");
    assert_eq!(balance(&s, &a).await, 105);
}

async fn only_an_empty_account_is_deleted(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let used = account(&s, ada.id, "Used", eur()).await;
    let empty = account(&s, ada.id, "Empty", eur()).await;
    s.add_movement(ada.id, &movement(&used, 1, date!(2026 - 01 - 01)), None)
        .await
        .expect("movement");

    assert!(matches!(
        s.delete_account(ada.id, used.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        s.delete_account(bob.id, empty.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::NotFound)
    ));
    s.delete_account(ada.id, empty.id, time::OffsetDateTime::now_utc())
        .await
        .expect("delete");
    assert_eq!(s.get_account(ada.id, empty.id).await.expect("read"), None);
    assert!(matches!(
        s.delete_account(ada.id, empty.id, time::OffsetDateTime::now_utc())
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(balance(&s, &used).await, 1);
}

async fn deleting_a_user_takes_what_they_own_and_nothing_else(s: impl Store) {
    use finance_core::domain::{
        Budget, Currency, ExchangeRate, Money, Rate, RateQuery, RateQueryInput,
    };
    let all_rates = RateQuery::parse(&RateQueryInput::default()).expect("query");
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let mut mine = Vec::new();
    for who in [&ada, &bob] {
        let bank = account(&s, who.id, "Bank", eur()).await;
        let cash = account(&s, who.id, "Cash", eur()).await;
        let key = IdempotencyKey {
            key: "k".into(),
            fingerprint: "f".into(),
        };
        s.add_movement(
            who.id,
            &movement(&bank, 100, date!(2026 - 01 - 01)),
            Some(key),
        )
        .await
        .expect("movement");
        s.import_rows(
            who.id,
            cash.id,
            &keyed(&[movement(&cash, -5, date!(2026 - 01 - 02))]),
        )
        .await
        .expect("import");
        let usd = Currency::parse("USD").expect("usd");
        let rate = ExchangeRate {
            base: eur(),
            quote: usd,
            date: date!(2026 - 01 - 01),
            rate: Rate::parse("1.1").expect("rate"),
        };
        s.put_rate(who.id, &rate).await.expect("rate");
        let budget = Budget {
            category: "food".into(),
            currency: eur(),
            amount: Money::from_minor(100, eur()),
        };
        s.put_budget(who.id, &budget).await.expect("budget");
        mine.push((bank, cash));
    }

    s.delete_user(ada.id, time::OffsetDateTime::now_utc())
        .await
        .expect("deleted");
    assert_eq!(s.get_user(ada.id).await.expect("read"), None);
    assert!(s.list_accounts(ada.id).await.expect("list").is_empty());
    let rates = s.list_rates(ada.id, &all_rates).await.expect("rates");
    assert!(rates.items.is_empty());
    assert!(matches!(
        s.delete_user(ada.id, time::OffsetDateTime::now_utc()).await,
        Err(StoreError::NotFound)
    ));

    // Bob's are untouched.
    let (bank, cash) = &mine[1];
    assert_eq!(s.list_accounts(bob.id).await.expect("list").len(), 2);
    assert_eq!(balance(&s, bank).await, 100);
    assert_eq!(balance(&s, cash).await, -5);
    assert_eq!(all_movements(&s, bank).await.len(), 1);
    let rates = s.list_rates(bob.id, &all_rates).await.expect("rates");
    assert_eq!(rates.items.len(), 1);

    // The same email signs up afresh, with nothing.
    let again = user(&s, "ada@example.com").await;
    assert_ne!(again.id, ada.id);
    assert!(s.list_accounts(again.id).await.expect("list").is_empty());
}

suite!(
    deleting_a_user_takes_what_they_own_and_nothing_else,
    rename_and_archive_are_the_owners_alone,
    an_archived_account_takes_no_movements,
    only_an_empty_account_is_deleted,
);
