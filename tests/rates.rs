//! Exchange rates and the converted net worth over HTTP, on both backends: rates set,
//! replaced, listed and deleted; the ECB file imported all or nothing; `GET /me` with a
//! currency and a day; `PATCH /me`; and imports cut off by a hang-up leaving all or none.

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;

#[path = "support/listening.rs"]
mod listening;
#[path = "support/server.rs"]
mod server;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, read, str};

/// A small file in the shape of the ECB's `eurofxref-hist.csv`: newest day first, a
/// trailing comma on every line, `N/A` where there was no fixing, a withdrawn currency.
const ECB: &str = "Date,USD,JPY,BGN,CYP,GBP,BHD,\n\
2026-11-20,1.0842,163.12,1.9558,N/A,0.8701,N/A,\n\
2026-11-19,1.0810,162.50,1.9558,N/A,0.8688,N/A,\n\
2026-11-18,1.0795,N/A,1.9558,N/A,0.8690,N/A,\n";

async fn put_rate(s: &Server, token: &str, path: &str, rate: &str) -> (StatusCode, Value) {
    let (status, body, _) = s
        .send(
            Method::PUT,
            path,
            Some(token),
            Some(json!({ "rate": rate })),
        )
        .await;
    (status, body)
}

async fn import(s: &Server, token: &str, csv: impl Into<reqwest::Body>) -> (StatusCode, Value) {
    let req = s
        .http
        .post(s.url("/v1/rates/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv);
    let (status, body, _) = read(req.send().await.expect("request")).await;
    (status, body)
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| e.iter().map(|e| str(&e["field"])).collect())
        .unwrap_or_default()
}

async fn rates_are_set_listed_and_deleted(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let path = "/v1/rates/EUR/USD/2026-11-20";
    let (status, _, headers) = s
        .send(
            Method::PUT,
            path,
            Some(&token),
            Some(json!({"rate": "1.08"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(headers["location"], path);
    let (status, body) = put_rate(&s, &token, path, "1.0842").await;
    assert_eq!(status, StatusCode::OK, "a second PUT replaces: {body}");
    assert_eq!(
        body,
        json!({"base": "EUR", "quote": "USD", "date": "2026-11-20", "rate": "1.0842"})
    );
    put_rate(&s, &token, "/v1/rates/EUR/JPY/2026-11-19", "162.5").await;
    put_rate(&s, &token, "/v1/rates/USD/JPY/2026-11-21", "150").await;

    let (status, page, _) = s.get("/v1/rates", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let listed: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            format!(
                "{} {}/{} {}",
                str(&r["date"]),
                str(&r["base"]),
                str(&r["quote"]),
                str(&r["rate"])
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            "2026-11-21 USD/JPY 150",
            "2026-11-20 EUR/USD 1.0842",
            "2026-11-19 EUR/JPY 162.5",
        ]
    );
    assert_eq!(page["next_cursor"], Value::Null);
    let (_, first, _) = s.get("/v1/rates?limit=2&base=EUR", Some(&token)).await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        first["next_cursor"],
        Value::Null,
        "two EUR rates, one page: {first}"
    );
    let (_, first, _) = s.get("/v1/rates?limit=1", Some(&token)).await;
    let (_, second, _) = s
        .get(
            &format!("/v1/rates?limit=1&cursor={}", str(&first["next_cursor"])),
            Some(&token),
        )
        .await;
    assert_eq!(second["items"][0]["quote"], "USD");
    let (_, ranged, _) = s
        .get(
            "/v1/rates?quote=JPY&from=2026-11-20&to=2026-11-30",
            Some(&token),
        )
        .await;
    assert_eq!(ranged["items"].as_array().map(Vec::len), Some(1));

    // Another user sees none of them and cannot delete them.
    let (_, theirs, _) = s.get("/v1/rates", Some(&other)).await;
    assert_eq!(theirs["items"], json!([]));
    let (status, _, _) = s.send(Method::DELETE, path, Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = s.send(Method::DELETE, path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.send(Method::DELETE, path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = s.get("/v1/rates", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn bad_rates_are_422_and_write_nothing(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    for (path, body, field) in [
        ("/v1/rates/EUR/USD/2026-11-20", json!({"rate": "0"}), "rate"),
        (
            "/v1/rates/EUR/USD/2026-11-20",
            json!({"rate": "-1.2"}),
            "rate",
        ),
        (
            "/v1/rates/EUR/USD/2026-11-20",
            json!({"rate": "1.234567890123"}),
            "rate",
        ),
        (
            "/v1/rates/EUR/USD/2026-11-20",
            json!({"rate": 1.08}),
            "rate",
        ),
        (
            "/v1/rates/EUR/USD/2026-11-20",
            json!({"rate": "1", "extra": 1}),
            "extra",
        ),
        (
            "/v1/rates/EUR/EUR/2026-11-20",
            json!({"rate": "1"}),
            "quote",
        ),
        (
            "/v1/rates/EUR/XXX/2026-11-20",
            json!({"rate": "1"}),
            "quote",
        ),
        ("/v1/rates/eur/USD/2026-11-20", json!({"rate": "1"}), "base"),
        ("/v1/rates/EUR/USD/2026-02-30", json!({"rate": "1"}), "date"),
    ] {
        let (status, problem, headers) = s
            .send(Method::PUT, path, Some(&token), Some(body.clone()))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {problem}"
        );
        assert_eq!(headers["content-type"], "application/problem+json");
        assert!(
            fields(&problem).contains(&field.to_string()),
            "{path} {body}: {problem}"
        );
    }
    let (status, _, _) = s
        .send(
            Method::DELETE,
            "/v1/rates/EUR/USD/someday",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for query in [
        "limit=0",
        "limit=201",
        "base=euro",
        "from=2026-12-01&to=2026-11-01",
        "cursor=zz",
        "colour=red",
    ] {
        let (status, problem, _) = s.get(&format!("/v1/rates?{query}"), Some(&token)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
    }
    let (_, page, _) = s.get("/v1/rates", Some(&token)).await;
    assert_eq!(page["items"], json!([]));
}

async fn the_ecb_file_is_imported_all_or_nothing(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    // 3 days of USD, GBP and BGN, 2 of JPY; BHD all N/A; CYP (withdrawn) skipped.
    let (status, done) = import(&s, &token, ECB).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["added"].as_u64(), done["updated"].as_u64()),
        (Some(11), Some(0))
    );
    assert_eq!(done["skipped_currencies"], json!(["CYP"]));
    let (status, again) = import(&s, &token, ECB).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (again["added"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(11))
    );
    let (_, usd, _) = s.get("/v1/rates?base=EUR&quote=USD", Some(&token)).await;
    let rates: Vec<String> = usd["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| str(&r["rate"]))
        .collect();
    assert_eq!(rates, ["1.0842", "1.081", "1.0795"]);

    // A bad line anywhere: 422 naming it, and nothing of the file is written.
    let bad = "Date,USD,CHF\n2026-10-02,1.05,0.93\n2026-10-01,1.04,abc\n";
    let (status, problem) = import(&s, &token, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["line"], 3);
    assert_eq!(problem["errors"][0]["field"], "CHF");
    let (_, chf, _) = s.get("/v1/rates?to=2026-10-31", Some(&token)).await;
    assert_eq!(chf["items"], json!([]), "a failed import writes nothing");
    for (file, why) in [
        ("", "empty"),
        ("Day,USD\n2026-01-01,1\n", "not the ECB header"),
        ("Date,USD\n2026-01-01,1\n2026-01-01,2\n", "a day twice"),
    ] {
        let (status, problem) = import(&s, &token, file).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {problem}");
        assert!(problem["errors"][0]["line"].is_u64(), "{why}: {problem}");
    }
    let (status, _) = import(&s, &token, vec![0xff, 0xfe, 0x00]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Past 10 MiB: 413, streamed or declared.
    assert_eq!(
        s.oversized("/v1/rates/import", &token).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // 25 years of daily rates in 8 currencies fit (about 1.5 MiB).
    let mut year = String::from("Date,USD,JPY,GBP,CHF,SEK,NOK,PLN,CZK,\n");
    let start = time::macros::date!(2001 - 01 - 01);
    for day in 0..9_000 {
        let d = start + time::Duration::days(day);
        year.push_str(&format!(
            "{d},1.{day:04},1{day:03}.5,0.8,0.9,10.{day},11,4.3,25.1,\n"
        ));
    }
    let (status, done) = import(&s, &token, year).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["added"].as_u64(), Some(9_000 * 8));
}

async fn net_worth_in_one_currency(s: Server) {
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

async fn a_transfer_implies_a_rate(s: Server) {
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
async fn imports_cut_off_by_a_hang_up_are_all_or_nothing(s: Server) {
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

on_backends!(
    rates_are_set_listed_and_deleted,
    bad_rates_are_422_and_write_nothing,
    the_ecb_file_is_imported_all_or_nothing,
    net_worth_in_one_currency,
    a_transfer_implies_a_rate,
    imports_cut_off_by_a_hang_up_are_all_or_nothing,
);
