//! End-to-end tests: the real server (in-process, or the binary where a process is needed),
//! driven over HTTP as a client would. Every test runs on the embedded defaults (SQLite,
//! codes in the database, mail in the outbox); the main flows run again on Postgres +
//! Redis + a real SMTP server when their test URLs are set (CI sets them).

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;

#[path = "support/listening.rs"]
mod listening;
#[path = "support/server.rs"]
mod server;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, read, str};

async fn signup_accounts_movements_and_profile(s: Server) {
    let address = email();
    let (token, user) = s.sign_in(&address.to_uppercase()).await;
    let (status, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["id"], user.as_str());
    assert_eq!(me["user"]["email"], address.as_str());
    assert_eq!(me["accounts"], json!([]));

    let bank = s.create_account(&token, "Bank", "EUR").await;
    let cash = s.create_account(&token, "Cash", "EUR").await;
    let tokyo = s.create_account(&token, "Tokyo", "JPY").await;
    let moves = [
        (&bank, "1000.00", "2026-01-01"),
        (&bank, "-12.51", "2026-01-03"),
        (&bank, "0.01", "2026-01-02"),
        (&bank, "-0.01", "2026-01-03"),
        (&cash, "-20", "2026-01-02"),
        (&tokyo, "5000", "2026-01-02"),
    ];
    for (account, amount, date) in moves {
        let (status, body, _) = s
            .post(
                &format!("/v1/accounts/{account}/movements"),
                Some(&token),
                json!({"amount": amount, "description": "test", "occurred_on": date}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["account_id"], account.as_str());
        assert_eq!(body["occurred_on"], date);
    }
    assert_eq!(s.balance(&token, &bank).await, "987.49");
    assert_eq!(s.balance(&token, &tokyo).await, "5000");

    // Page through the bank's movements two at a time: newest first, every one once.
    let mut seen = Vec::new();
    let mut next = format!("/v1/accounts/{bank}/movements?limit=2");
    loop {
        let (status, page, _) = s.get(&next, Some(&token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["items"].as_array().expect("items");
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|m| (str(&m["occurred_on"]), str(&m["amount"]))),
        );
        match page["next_cursor"].as_str() {
            Some(c) => next = format!("/v1/accounts/{bank}/movements?limit=2&cursor={c}"),
            None => break,
        }
    }
    let expected: Vec<(String, String)> = [
        ("2026-01-03", "-0.01"),
        ("2026-01-03", "-12.51"),
        ("2026-01-02", "0.01"),
        ("2026-01-01", "1000.00"),
    ]
    .iter()
    .map(|(d, a)| (d.to_string(), a.to_string()))
    .collect();
    assert_eq!(seen, expected);

    let (_, page, _) = s
        .get(
            &format!("/v1/accounts/{bank}/movements?from=2026-01-02&to=2026-01-02"),
            Some(&token),
        )
        .await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));

    let (_, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(
        me["totals"],
        json!([{"currency": "EUR", "balance": "967.49"}, {"currency": "JPY", "balance": "5000"}])
    );
    let names: Vec<String> = me["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| str(&a["name"]))
        .collect();
    assert_eq!(names, ["Bank", "Cash", "Tokyo"]);

    // Signing in again finds the same user and data.
    let (again, same_user) = s.sign_in(&address).await;
    assert_eq!(same_user, user);
    assert_eq!(s.balance(&again, &bank).await, "987.49");
}

async fn failures_answer_as_documented_and_write_nothing(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let movements = format!("/v1/accounts/{account}/movements");
    s.post(
        &movements,
        Some(&token),
        json!({"amount": "100.00", "description": "salary"}),
    )
    .await;

    // No, garbage and tampered tokens: 401 with one body and a challenge.
    let mut tampered = token.clone().into_bytes();
    let i = tampered.len() / 2;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let mut bodies = Vec::new();
    for t in [
        None,
        Some("garbage"),
        Some(tampered.as_str()),
        Some("v2.public.xyz"),
    ] {
        let (status, body, headers) = s.get("/v1/me", t).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{t:?}");
        assert_eq!(headers["content-type"], "application/problem+json");
        assert_eq!(headers["www-authenticate"], "Bearer");
        bodies.push(body);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "401 bodies differ: {bodies:?}"
    );

    // Another user's account is exactly like a missing one.
    let (s1, missing, _) = s
        .get(
            &format!("/v1/accounts/{}", uuid::Uuid::new_v4()),
            Some(&other),
        )
        .await;
    let (s2, foreign, _) = s
        .get(&format!("/v1/accounts/{account}"), Some(&other))
        .await;
    let (s3, _, _) = s.get(&movements, Some(&other)).await;
    let (s4, _, _) = s
        .post(
            &movements,
            Some(&other),
            json!({"amount": "1", "description": "x"}),
        )
        .await;
    let (s5, _, _) = s.get("/v1/accounts/not-a-uuid", Some(&other)).await;
    assert_eq!([s1, s2, s3, s4, s5], [StatusCode::NOT_FOUND; 5]);
    assert_eq!(missing, foreign);

    // Validation lists every bad field; malformed JSON is 400; unknown fields are refused.
    let (status, body, headers) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "12.345", "description": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers["content-type"], "application/problem+json");
    let fields: Vec<String> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| str(&e["field"]))
        .collect();
    assert_eq!(fields, ["amount", "description"]);
    let (status, body, _) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "1", "description": "x", "owner": "me"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "owner");
    let res = s
        .http
        .post(s.url(&movements))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"amount\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = s
        .http
        .post(s.url(&movements))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(vec![b' '; 65 * 1024])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _, _) = s
        .post(
            "/v1/accounts",
            Some(&token),
            json!({"name": "Bank", "currency": "EUR"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = s.get(&format!("{movements}?limit=500"), Some(&token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // An idempotent retry returns the same movement and moves no balance; the same key
    // with another body is a conflict.
    let send = |body: Value| {
        s.http
            .post(s.url(&movements))
            .bearer_auth(&token)
            .header("Idempotency-Key", "rent-2026-01")
            .json(&body)
            .send()
    };
    let rent = json!({"amount": "-40.00", "description": "rent", "occurred_on": "2026-01-05"});
    let (status, first, _) = read(send(rent.clone()).await.expect("request")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, retry, headers) = read(send(rent).await.expect("request")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(retry, first);
    assert_eq!(headers["idempotency-replayed"], "true");
    let (status, body, _) = read(
        send(json!({"amount": "-41.00", "description": "rent"}))
            .await
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"], "/problems/idempotency-key-reused", "{body}");

    // After all that, exactly two movements were written.
    assert_eq!(s.balance(&token, &account).await, "60.00");
    let (_, page, _) = s.get(&movements, Some(&token)).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
    let (_, me, _) = s.get("/v1/me", Some(&other)).await;
    assert_eq!(me["accounts"], json!([]));

    // Wrong codes are 401 with the same body as a used one.
    let address = email();
    s.post("/v1/auth/otp", None, json!({"email": address}))
        .await;
    let code = s.inbox.code_for(&address);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let (status, wrong_body, _) = s
        .post(
            "/v1/auth/token",
            None,
            json!({"email": address, "code": wrong}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = s
        .post(
            "/v1/auth/token",
            None,
            json!({"email": address, "code": code}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, used_body, _) = s
        .post(
            "/v1/auth/token",
            None,
            json!({"email": address, "code": code}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_body, used_body);

    // Sends are limited per email, with the time to wait.
    for _ in 0..4 {
        s.post("/v1/auth/otp", None, json!({"email": address}))
            .await;
    }
    let (status, body, headers) = s
        .post("/v1/auth/otp", None, json!({"email": address}))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait));
}

on_backends!(
    signup_accounts_movements_and_profile,
    failures_answer_as_documented_and_write_nothing
);

#[tokio::test]
async fn expired_tokens_are_refused() {
    // Tokens carry whole seconds: `exp` is the issue time cut to the second plus the TTL,
    // so a token lives more than TTL - 1 seconds (long enough for the first request even on
    // a loaded machine; with a TTL of 1 it could be over at once) and at most TTL seconds.
    let s = Server::start(Backend::Embedded, &[("FINANCE_TOKEN_TTL_SECONDS", "3")])
        .await
        .expect("server");
    let (token, _) = s.sign_in(&email()).await;
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
