//! The edges a careless client or an attacker finds (issue 25), end to end on both
//! engines: a bank file that panicked the parser, headers and bodies that are not what
//! they claim, a schedule that would book without bound, and connections that are slow,
//! silent or too many.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use server::{Backend, Server, email, read, str};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[path = "edges/connections.rs"]
mod connections;
use connections::*;

/// A QIF file whose lines start with letters of more than one byte imports (it answered
/// 500: the parser sliced the line at byte 1).
async fn a_qif_line_may_start_with_any_letter(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    for (file, added) in [
        ("!Type:Bank\nD2026-10-01\nT-1.00\nPx\n€ note\n^\n", 1),
        ("!Type:Bank\nD2026-10-02\nT-2.00\nPy\né\n^\n", 1),
    ] {
        let res = s
            .http
            .post(s.url(&format!("/v1/accounts/{account}/imports")))
            .bearer_auth(&token)
            .header("content-type", "application/qif")
            .body(file)
            .send()
            .await
            .expect("upload");
        let (status, body, _) = read(res).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["added"], added, "{body}");
    }
    assert_eq!(s.balance(&token, &account).await, "-3.00");
}

/// An `Authorization` header that is not text, or two of them, is a 401 like any other
/// bad token (it was a 405, and the first of two won).
async fn an_authorization_header_must_be_one_and_text(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bearer = format!("Bearer {token}");
    let not_text = reqwest::header::HeaderValue::from_bytes(b"Bearer \xe9t\xe9").expect("obs-text");
    let cases: Vec<Vec<reqwest::header::HeaderValue>> = vec![
        vec![not_text],
        vec![
            bearer.parse().expect("value"),
            bearer.parse().expect("value"),
        ],
        vec![
            bearer.parse().expect("value"),
            "Basic eDp5".parse().expect("value"),
        ],
    ];
    for values in cases {
        for path in ["/v1/me", "/v1/accounts"] {
            let mut req = s.http.get(s.url(path));
            for v in &values {
                req = req.header(reqwest::header::AUTHORIZATION, v.clone());
            }
            let (status, body, headers) = read(req.send().await.expect("get")).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{path} {values:?}: {body}"
            );
            assert_eq!(body["type"], "/problems/unauthorized");
            assert_eq!(headers["www-authenticate"], "Bearer");
        }
    }
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
}

/// JSON routes read JSON only: sent as anything else (or as nothing) it is a 415 and
/// nothing is written; a key given twice is a 422 naming it, and nothing is written.
async fn json_bodies_are_what_they_say(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let body = r#"{"name":"Bank","currency":"EUR"}"#;
    for kind in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = s
            .http
            .post(s.url("/v1/accounts"))
            .bearer_auth(&token)
            .body(body);
        if let Some(k) = kind {
            req = req.header("content-type", k);
        }
        let (status, problem, _) = read(req.send().await.expect("post")).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{kind:?}: {problem}"
        );
        assert_eq!(problem["type"], "/problems/unsupported-media-type");
    }
    let (_, list, _) = s.get("/v1/accounts", Some(&token)).await;
    assert_eq!(list["items"], json!([]), "nothing written");
    for kind in ["application/json; charset=utf-8", "Application/JSON"] {
        let res = s
            .http
            .post(s.url("/v1/accounts"))
            .bearer_auth(&token)
            .header("content-type", kind)
            .body(format!(r#"{{"name":"{kind}","currency":"EUR"}}"#))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::CREATED, "{kind}");
    }

    let account = s.create_account(&token, "Cash", "EUR").await;
    let res = s
        .http
        .post(s.url(&format!("/v1/accounts/{account}/movements")))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"amount":"1.00","description":"gift","amount":"-7.00"}"#)
        .send()
        .await
        .expect("post");
    let (status, problem, _) = read(res).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "amount", "{problem}");
    assert_eq!(s.balance(&token, &account).await, "0.00");
    assert!(s.all_movements(&token, &account).await.is_empty());
}

/// A body that is not a JSON object, and a bank file with nothing in it, are refused
/// (422) and write nothing: serde filled a patch from `[null, null]` (200), and an empty
/// upload answered 201 with nothing added.
async fn non_objects_and_empty_files_are_refused(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    for body in ["[null, null]", "\"Bank\"", "null", "42"] {
        let res = s
            .http
            .patch(s.url(&format!("/v1/accounts/{account}")))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("patch");
        let (status, problem, _) = read(res).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], "body", "{problem}");
    }
    for file in ["", " \n"] {
        let res = s
            .http
            .post(s.url(&format!("/v1/accounts/{account}/imports")))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await
            .expect("upload");
        let (status, problem, _) = read(res).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{file:?}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], "file", "{problem}");
    }
    let (_, got, _) = s
        .get(&format!("/v1/accounts/{account}"), Some(&token))
        .await;
    assert_eq!(got["name"], "Bank");
    assert!(s.all_movements(&token, &account).await.is_empty());
}

/// Every answer says `nosniff`; every API answer (signed in or refused) says `no-store`.
async fn answers_are_not_sniffed_or_stored(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    for path in ["/healthz", "/openapi.json", "/nowhere"] {
        let res = s.http.get(s.url(path)).send().await.expect("get");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{path}");
    }
    for (path, token) in [("/v1/me", Some(token.as_str())), ("/v1/accounts", None)] {
        let (status, _, headers) = s.get(path, token).await;
        assert!(status == StatusCode::OK || status == StatusCode::UNAUTHORIZED);
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
    }
    let (_, _, headers) = s
        .post("/v1/auth/otp", None, json!({"email": email()}))
        .await;
    assert_eq!(headers["cache-control"], "no-store", "a sign-in answer");
}

/// A schedule that would book more than 1,000 dates at once is a 422 naming `start` and
/// saying how many, and writes nothing; so is a change that would.
async fn a_schedule_books_at_most_a_thousand_at_once(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let today = time::OffsetDateTime::now_utc().date();
    let ten_years = today - time::Duration::days(3652);
    for start in [ten_years.to_string(), "1000-01-01".to_string()] {
        let (status, problem, _) = s
            .post(
                "/v1/schedules",
                Some(&token),
                json!({"account": account, "amount": "-1.00", "description": "Coffee",
                       "start": start, "every": "day"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "start", "{problem}");
        assert!(
            str(&problem["errors"][0]["message"]).contains("movements at once"),
            "{problem}"
        );
    }
    let (_, list, _) = s.get("/v1/schedules", Some(&token)).await;
    assert_eq!(list["items"], json!([]));
    assert_eq!(s.balance(&token, &account).await, "0.00");

    // Monthly over the same ten years is 121 dates: booked at once.
    let (status, monthly, _) = s
        .post(
            "/v1/schedules",
            Some(&token),
            json!({"account": account, "amount": "-1.00", "description": "Rent",
                   "start": ten_years.to_string(), "every": "month"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{monthly}");
    let booked = s.all_movements(&token, &account).await.len();
    assert!((120..=122).contains(&booked), "{booked}");

    // A schedule that has booked nothing yet cannot be moved ten years back daily.
    let tomorrow = today + time::Duration::days(1);
    let (status, future, _) = s
        .post(
            "/v1/schedules",
            Some(&token),
            json!({"account": account, "amount": "-1.00", "description": "Later",
                   "start": tomorrow.to_string(), "every": "day"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{future}");
    let (status, problem, _) = s
        .send(
            reqwest::Method::PATCH,
            &format!("/v1/schedules/{}", str(&future["id"])),
            Some(&token),
            Some(json!({"start": ten_years.to_string()})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "start");
    assert_eq!(s.all_movements(&token, &account).await.len(), booked);
}

const TIMEOUTS: [(&str, &str); 2] = [
    ("FINANCE_HEADER_READ_TIMEOUT", "1"),
    ("FINANCE_IDLE_TIMEOUT", "2"),
];

macro_rules! on_both_engines {
    (@extra) => { &[] };
    (@extra $extra:expr) => { $extra };
    ($($name:ident $(with $extra:expr)?),* $(,)?) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $name() {
                    let extra: &[(&str, &str)] = on_both_engines!(@extra $($extra)?);
                    let s = super::Server::start_alone(super::Backend::Embedded, extra)
                        .await
                        .expect("server");
                    super::$name(s).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let extra: &[(&str, &str)] = on_both_engines!(@extra $($extra)?);
                    let Some(s) = super::Server::start_alone(super::Backend::Postgres, extra).await
                    else {
                        return;
                    };
                    super::$name(s).await;
                }
            )*
        }
    };
}

on_both_engines!(
    a_qif_line_may_start_with_any_letter,
    an_authorization_header_must_be_one_and_text,
    json_bodies_are_what_they_say,
    non_objects_and_empty_files_are_refused,
    answers_are_not_sniffed_or_stored,
    a_schedule_books_at_most_a_thousand_at_once,
    slow_and_silent_connections_are_closed with &super::TIMEOUTS,
    connections_past_the_cap_wait_for_a_free_one with &[("FINANCE_MAX_CONNECTIONS", "2")],
);
