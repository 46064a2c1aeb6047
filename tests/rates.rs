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

#[path = "rates/conversions.rs"]
mod conversions;
use conversions::*;

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

on_backends!(
    rates_are_set_listed_and_deleted,
    bad_rates_are_422_and_write_nothing,
    the_ecb_file_is_imported_all_or_nothing,
    net_worth_in_one_currency,
    a_transfer_implies_a_rate,
    imports_cut_off_by_a_hang_up_are_all_or_nothing,
);
