//! Net worth in one currency, implied rates and cut-off imports, end to end.

use super::*;

pub(super) async fn net_worth_in_one_currency(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let usd = s.create_account(&token, "Dollars", "USD").await;
    let yen = s.create_account(&token, "Yen", "JPY").await;
    let dinar = s.create_account(&token, "Dinar", "BHD").await;
    for (account, amount) in [
        (&bank, "100.00"),
        (&usd, "108.42"),
        (&yen, "16312"),
        (&dinar, "1.000"),
    ] {
        let (status, _, _) = s
            .post(
                &format!("/v1/accounts/{account}/movements"),
                Some(&token),
                json!({"amount": amount, "description": "in"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // No currency asked and no base currency: no net worth.
    let (status, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(me.get("net_worth").is_none(), "{me}");
    assert_eq!(me["user"]["base_currency"], Value::Null);
    // No rates: everything but EUR is missing, and the amount says only what it holds.
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-11-20", Some(&token))
        .await;
    assert_eq!(
        me["net_worth"],
        json!({"currency": "EUR", "amount": "100.00", "as_of": "2026-11-20", "missing": ["BHD", "JPY", "USD"]})
    );
    let (status, done) = import(&s, &token, ECB).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    // USD and JPY from the file; BHD still has no rate.
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-11-20", Some(&token))
        .await;
    assert_eq!(me["net_worth"]["amount"], "300.00", "{me}");
    assert_eq!(me["net_worth"]["missing"], json!(["BHD"]));
    // An older day uses that day's rates: 108.42 / 1.0810 = 100.2960…, 16312 / 162.50 = 100.3815…
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-11-19", Some(&token))
        .await;
    assert_eq!(me["net_worth"]["amount"], "300.68", "{me}");
    // A day before every rate: never a later one.
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-01-01", Some(&token))
        .await;
    assert_eq!(me["net_worth"]["missing"], json!(["BHD", "JPY", "USD"]));
    // Through the EUR pivot into USD: 100 EUR = 108.42, 16312 JPY = 100 EUR = 108.42.
    put_rate(&s, &token, "/v1/rates/BHD/EUR/2026-11-01", "2.5").await;
    let (_, me, _) = s
        .get("/v1/me?currency=USD&as_of=2026-11-20", Some(&token))
        .await;
    assert_eq!(
        me["net_worth"],
        json!({"currency": "USD", "amount": "327.97", "as_of": "2026-11-20", "missing": []}),
        "100 EUR + 108.42 USD + 16312 JPY + 1 BHD (2.5 EUR)"
    );
    // The base currency is the default, today the default day.
    let (status, me, _) = s
        .send(
            Method::PATCH,
            "/v1/me",
            Some(&token),
            Some(json!({"base_currency": "JPY"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["base_currency"], "JPY");
    assert_eq!(me["net_worth"]["currency"], "JPY");
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let (_, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(me["net_worth"]["as_of"], today.as_str());
    assert_eq!(
        me["net_worth"]["amount"], "49344",
        "3 × 16312 + 407.8 rounded: {me}"
    );
    assert_eq!(
        me["totals"].as_array().map(Vec::len),
        Some(4),
        "totals stay per currency"
    );
    for (body, field) in [
        (json!({"base_currency": "euro"}), "base_currency"),
        (json!({"base_currency": 3}), "base_currency"),
        (json!({"name": "x"}), "name"),
    ] {
        let (status, problem, _) = s
            .send(Method::PATCH, "/v1/me", Some(&token), Some(body.clone()))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(fields(&problem), [field], "{body}");
    }
    for query in ["currency=XXX", "as_of=yesterday", "curency=EUR"] {
        let (status, _, _) = s.get(&format!("/v1/me?{query}"), Some(&token)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    }
    let (_, me, _) = s
        .send(
            Method::PATCH,
            "/v1/me",
            Some(&token),
            Some(json!({"base_currency": null})),
        )
        .await;
    assert_eq!(me["user"]["base_currency"], Value::Null);
    assert!(me.get("net_worth").is_none());
}

pub(super) async fn a_transfer_implies_a_rate(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let pounds = s.create_account(&token, "Pounds", "GBP").await;
    s.post(
        &format!("/v1/accounts/{bank}/movements"),
        Some(&token),
        json!({"amount": "500.00", "description": "pay"}),
    )
    .await;
    let (status, t, _) = s
        .post(
            "/v1/transfers",
            Some(&token),
            json!({"from_account": bank, "to_account": pounds, "amount": "100.00", "to_amount": "87.00", "description": "to London", "occurred_on": "2026-11-10"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    // 400 EUR + 87 GBP at the transfer's 0.87: 87 / 0.87 = 100 EUR.
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-11-20", Some(&token))
        .await;
    assert_eq!(me["net_worth"]["amount"], "500.00", "{me}");
    assert_eq!(me["net_worth"]["missing"], json!([]));
    // Before the transfer there was no rate.
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-11-09", Some(&token))
        .await;
    assert_eq!(me["net_worth"]["missing"], json!(["GBP"]));
    // An explicit rate wins over the implied one.
    put_rate(&s, &token, "/v1/rates/GBP/EUR/2026-11-01", "1.2").await;
    let (_, me, _) = s
        .get("/v1/me?currency=EUR&as_of=2026-11-20", Some(&token))
        .await;
    assert_eq!(me["net_worth"]["amount"], "504.40", "{me}");
}

/// Clients hang up at random moments of imports and PUTs: each import, a distinct range
/// of days, is afterwards present whole or not at all.
pub(super) async fn imports_cut_off_by_a_hang_up_are_all_or_nothing(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let days = 400;
    let start = time::macros::date!(2000 - 01 - 01);
    for attempt in 0..12i64 {
        let mut csv = String::from("Date,USD,\n");
        for day in 0..days {
            let d = start + time::Duration::days(attempt * 1_000 + day);
            csv.push_str(&format!("{d},1.{attempt}{day},\n"));
        }
        let cut = reqwest::Client::builder()
            .timeout(Duration::from_micros(
                u64::from(uuid::Uuid::new_v4().as_bytes()[0]) * 40,
            ))
            .build()
            .expect("client");
        let _ = cut
            .post(s.url("/v1/rates/import"))
            .bearer_auth(&token)
            .body(csv)
            .send()
            .await;
        let _ = cut
            .put(s.url(&format!("/v1/rates/GBP/USD/2001-01-{:02}", attempt + 1)))
            .bearer_auth(&token)
            .json(&json!({"rate": "1.25"}))
            .send()
            .await;
    }
    for attempt in 0..12i64 {
        let from = start + time::Duration::days(attempt * 1_000);
        let to = from + time::Duration::days(days - 1);
        let path = format!("/v1/rates?quote=USD&base=EUR&from={from}&to={to}&limit=200");
        server::eventually("the import's work to end", || {
            let (s, token, path) = (&s, &token, path.clone());
            async move {
                let mut count = 0;
                let mut cursor = String::new();
                loop {
                    let (_, page, _) = s.get(&format!("{path}{cursor}"), Some(token)).await;
                    count += page["items"].as_array().map(Vec::len).unwrap_or(0);
                    match page["next_cursor"].as_str() {
                        Some(c) => cursor = format!("&cursor={c}"),
                        None => break,
                    }
                }
                assert!(
                    count == 0 || count == days as usize,
                    "attempt {attempt}: {count} of {days} rates"
                );
                true
            }
        })
        .await;
    }
}
