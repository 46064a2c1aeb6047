//! Exchange rates in the store, on both engines: set, replace, page, delete, import all
//! or nothing, the latest rate on or before a day, and rates implied by transfers.

mod support;

use finance_core::domain::*;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::Date;
use time::macros::date;

fn cur(code: &str) -> Currency {
    Currency::parse(code).expect(code)
}

fn rate(base: &str, quote: &str, date: Date, r: &str) -> ExchangeRate {
    ExchangeRate {
        base: cur(base),
        quote: cur(quote),
        date,
        rate: Rate::parse(r).expect(r),
    }
}

fn query(input: RateQueryInput) -> RateQuery {
    RateQuery::parse(&input).expect("valid query")
}

async fn rates_are_set_replaced_and_deleted_per_owner(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    let day = date!(2026 - 11 - 20);
    assert!(
        s.put_rate(ada.id, &rate("EUR", "USD", day, "1.08"))
            .await
            .expect("new")
    );
    assert!(
        !s.put_rate(ada.id, &rate("EUR", "USD", day, "1.0842"))
            .await
            .expect("replace")
    );
    let page = s
        .list_rates(ada.id, &query(RateQueryInput::default()))
        .await
        .expect("list");
    assert_eq!(page.items, [rate("EUR", "USD", day, "1.0842")]);
    assert_eq!(page.next_cursor, None);
    // Bob sees none of Ada's and cannot delete them.
    let theirs = s
        .list_rates(bob.id, &query(RateQueryInput::default()))
        .await
        .expect("list");
    assert!(theirs.items.is_empty());
    let at = RateAddress {
        base: cur("EUR"),
        quote: cur("USD"),
        date: day,
    };
    assert!(matches!(
        s.delete_rate(bob.id, &at).await,
        Err(StoreError::NotFound)
    ));
    s.delete_rate(ada.id, &at).await.expect("delete");
    assert!(matches!(
        s.delete_rate(ada.id, &at).await,
        Err(StoreError::NotFound)
    ));
    let facts = s.accounts_and_rates_on(ada.id, day).await.expect("facts").1;
    assert!(facts.explicit.is_empty(), "a deleted rate is not used");
}

async fn pages_are_newest_first_and_filtered(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let mut all = Vec::new();
    for (i, day) in [
        date!(2026 - 11 - 18),
        date!(2026 - 11 - 19),
        date!(2026 - 11 - 20),
    ]
    .into_iter()
    .enumerate()
    {
        for (quote, r) in [("USD", "1.08"), ("JPY", "163"), ("GBP", "0.87")] {
            let r = rate("EUR", quote, day, &format!("{r}{i}"));
            s.put_rate(ada.id, &r).await.expect("put");
            all.push(r);
        }
    }
    all.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then(a.base.cmp(&b.base))
            .then(a.quote.cmp(&b.quote))
    });
    // Pages of 2 walk every rate once, in order, across days and within one.
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = s
            .list_rates(
                ada.id,
                &query(RateQueryInput {
                    limit: Some("2".into()),
                    cursor: cursor.map(|c: RateCursor| c.encode()),
                    ..Default::default()
                }),
            )
            .await
            .expect("page");
        seen.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, all);
    let usd = s
        .list_rates(
            ada.id,
            &query(RateQueryInput {
                base: Some("EUR".into()),
                quote: Some("USD".into()),
                from: Some("2026-11-19".into()),
                to: Some("2026-11-19".into()),
                ..Default::default()
            }),
        )
        .await
        .expect("filtered");
    assert_eq!(
        usd.items,
        [rate("EUR", "USD", date!(2026 - 11 - 19), "1.081")]
    );
}

async fn an_import_adds_or_updates_everything_together(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let day = date!(2026 - 11 - 20);
    s.put_rate(ada.id, &rate("EUR", "USD", day, "1"))
        .await
        .expect("put");
    let file: Vec<ExchangeRate> = (0..2_500)
        .map(|i| rate("EUR", "USD", day - time::Duration::days(i), "1.0842"))
        .chain([rate("EUR", "JPY", day, "163.12")])
        .collect();
    let done = s.import_rates(ada.id, &file).await.expect("import");
    assert_eq!((done.added, done.updated), (2_500, 1));
    let again = s.import_rates(ada.id, &file).await.expect("again");
    assert_eq!((again.added, again.updated), (0, 2_501));
    let page = s
        .list_rates(
            ada.id,
            &query(RateQueryInput {
                from: Some("2026-11-20".into()),
                ..Default::default()
            }),
        )
        .await
        .expect("list");
    assert_eq!(
        page.items,
        [
            rate("EUR", "JPY", day, "163.12"),
            rate("EUR", "USD", day, "1.0842")
        ]
    );
}

async fn the_latest_rate_on_or_before_the_day_is_used(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bob = user(&s, "bob@example.com").await;
    for (day, r) in [
        (date!(2026 - 11 - 01), "1.01"),
        (date!(2026 - 11 - 10), "1.10"),
        (date!(2026 - 11 - 20), "1.20"),
    ] {
        s.put_rate(ada.id, &rate("EUR", "USD", day, r))
            .await
            .expect("put");
    }
    s.put_rate(bob.id, &rate("EUR", "USD", date!(2026 - 11 - 15), "9"))
        .await
        .expect("bob's");
    let on = |day| {
        let s = s.clone();
        async move {
            s.accounts_and_rates_on(ada.id, day)
                .await
                .expect("facts")
                .1
                .explicit
        }
    };
    let usd = |r: &str| vec![(cur("EUR"), cur("USD"), Rate::parse(r).expect(r))];
    assert_eq!(on(date!(2026 - 11 - 15)).await, usd("1.1"));
    assert_eq!(on(date!(2026 - 11 - 20)).await, usd("1.2"));
    assert_eq!(on(date!(2027 - 01 - 01)).await, usd("1.2"));
    assert_eq!(on(date!(2026 - 11 - 01)).await, usd("1.01"));
    assert!(
        on(date!(2026 - 10 - 31)).await.is_empty(),
        "never a later rate"
    );
    // An older rate set or imported later does not hide the newest one.
    s.put_rate(ada.id, &rate("EUR", "USD", date!(2026 - 10 - 01), "0.9"))
        .await
        .expect("older");
    s.import_rates(ada.id, &[rate("EUR", "USD", date!(2026 - 09 - 01), "0.8")])
        .await
        .expect("older import");
    assert_eq!(on(date!(2027 - 01 - 01)).await, usd("1.2"));
    assert_eq!(on(date!(2026 - 10 - 31)).await, usd("0.9"));
    // Deleting the newest makes the one before it the latest; deleting all leaves none.
    let delete = |day| {
        let s = s.clone();
        async move {
            let at = RateAddress {
                base: cur("EUR"),
                quote: cur("USD"),
                date: day,
            };
            s.delete_rate(ada.id, &at).await.expect("delete");
        }
    };
    delete(date!(2026 - 11 - 20)).await;
    delete(date!(2026 - 11 - 10)).await;
    assert_eq!(on(date!(2027 - 01 - 01)).await, usd("1.01"));
    for day in [
        date!(2026 - 11 - 01),
        date!(2026 - 10 - 01),
        date!(2026 - 09 - 01),
    ] {
        delete(day).await;
    }
    assert!(on(date!(2027 - 01 - 01)).await.is_empty());
    s.put_rate(ada.id, &rate("EUR", "USD", date!(2025 - 01 - 01), "1.3"))
        .await
        .expect("again");
    assert_eq!(on(date!(2027 - 01 - 01)).await, usd("1.3"));
}

async fn cross_currency_transfers_imply_rates(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let bank = account(&s, ada.id, "Bank", eur()).await;
    let yen = account(&s, ada.id, "Yen", cur("JPY")).await;
    let savings = account(&s, ada.id, "Savings", eur()).await;
    s.add_movement(
        ada.id,
        &movement(&bank, 1_000_000, date!(2026 - 01 - 01)),
        None,
    )
    .await
    .expect("funds");
    for (day, paid, got) in [
        ("2026-03-01", "100.00", "16000"),
        ("2026-04-01", "50.00", "8150"),
    ] {
        let input = TransferInput {
            from_account: bank.id.to_string(),
            to_account: yen.id.to_string(),
            amount: paid.into(),
            to_amount: Some(got.into()),
            description: "yen".into(),
            occurred_on: Some(day.into()),
        };
        let t = Transfer::parse(&input, &bank, &yen, NOW, &author(ada.id)).expect("transfer");
        s.add_transfer(ada.id, &t, None).await.expect("add");
    }
    // One currency: no rate.
    let same = TransferInput {
        from_account: bank.id.to_string(),
        to_account: savings.id.to_string(),
        amount: "1.00".into(),
        to_amount: None,
        description: "save".into(),
        occurred_on: Some("2026-04-02".into()),
    };
    let t = Transfer::parse(&same, &bank, &savings, NOW, &author(ada.id)).expect("transfer");
    s.add_transfer(ada.id, &t, None).await.expect("add");

    let implied = |day| {
        let s = s.clone();
        async move {
            s.accounts_and_rates_on(ada.id, day)
                .await
                .expect("facts")
                .1
                .implied
        }
    };
    // The latest of the pair on or before the day: April's, then March's.
    let newest = implied(date!(2026 - 05 - 01)).await;
    assert_eq!(newest.len(), 1, "{newest:?}");
    assert_eq!(
        newest[0].got,
        Money::parse("8150", cur("JPY")).expect("jpy")
    );
    assert_eq!(newest[0].paid, Money::parse("50.00", eur()).expect("eur"));
    let march = implied(date!(2026 - 03 - 15)).await;
    assert_eq!(march.len(), 1);
    assert_eq!(
        march[0].got,
        Money::parse("16000", cur("JPY")).expect("jpy")
    );
    assert!(implied(date!(2026 - 02 - 28)).await.is_empty());
    // The accounts come as list_accounts has them, whatever the kind of row beside them.
    account(&s, ada.id, "apple", cur("USD")).await;
    let (accounts, _) = s
        .accounts_and_rates_on(ada.id, date!(2026 - 05 - 01))
        .await
        .expect("holdings");
    assert_eq!(accounts, s.list_accounts(ada.id).await.expect("list"));
    assert_eq!(accounts.len(), 4);
}

async fn the_base_currency_is_kept_on_the_user(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    assert_eq!(ada.base_currency, None);
    s.set_base_currency(ada.id, Some(cur("CHF")))
        .await
        .expect("set");
    let read = s.get_user(ada.id).await.expect("read").expect("there");
    assert_eq!(read.base_currency, Some(cur("CHF")));
    s.set_base_currency(ada.id, None).await.expect("clear");
    let read = s.get_user(ada.id).await.expect("read").expect("there");
    assert_eq!(read.base_currency, None);
    assert!(matches!(
        s.set_base_currency(UserId::random(), Some(cur("EUR")))
            .await,
        Err(StoreError::NotFound)
    ));
}

suite!(
    rates_are_set_replaced_and_deleted_per_owner,
    pages_are_newest_first_and_filtered,
    an_import_adds_or_updates_everything_together,
    the_latest_rate_on_or_before_the_day_is_used,
    cross_currency_transfers_imply_rates,
    the_base_currency_is_kept_on_the_user,
);
