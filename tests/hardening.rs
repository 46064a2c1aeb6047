//! What a hostile or unlucky client tried against the first wave, end to end on each
//! backend: input that must be a clear 4xx rather than a 5xx, the sign-in guess budget,
//! sign-out, and what operators expect of a service (metrics, CORS, keep-alive).

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use reqwest::StatusCode;
use serde_json::json;
use server::{Backend, Server, email, str};

/// NUL and other control characters in any single-line text are 422 naming the field,
/// and write nothing (Postgres refuses NUL in text, so this was a 500 there).
async fn control_characters_are_refused_by_name(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    for bad in ["a\u{0}b", "a\nb", "\u{1b}[2J", "a\u{7f}"] {
        let (status, body, _) = s
            .post(
                "/v1/accounts",
                Some(&token),
                json!({"name": bad, "currency": "EUR"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["errors"][0]["field"], "name", "{body}");
        for field in ["description", "category"] {
            let mut movement = json!({"amount": "-1.00", "description": "ok", "category": "ok"});
            movement[field] = json!(bad);
            let (status, body, _) = s
                .post(
                    &format!("/v1/accounts/{account}/movements"),
                    Some(&token),
                    movement,
                )
                .await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(body["errors"][0]["field"], field, "{body}");
        }
    }
    let (_, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(me["accounts"].as_array().expect("accounts").len(), 1);
    assert_eq!(str(&me["accounts"][0]["balance"]), "0.00");
}

/// Two balances at the top of the range add up past `i64`: `/v1/me` still answers, with
/// the exact total.
async fn totals_past_i64_are_exact(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    for name in ["A", "B"] {
        let account = s.create_account(&token, name, "EUR").await;
        let (status, body, _) = s
            .post(
                &format!("/v1/accounts/{account}/movements"),
                Some(&token),
                json!({"amount": "92233720368547758.07", "description": "a fortune"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        me["totals"],
        json!([{"currency": "EUR", "balance": "184467440737095516.14"}])
    );
}

/// The longest valid address (254 characters) gets its code and signs in, whatever the
/// mailer: the outbox's file names no longer hold the address.
async fn the_longest_address_signs_in(s: Server) {
    let long = format!(
        "{}@{}.{}.{}.example.com",
        "a".repeat(64),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(49)
    );
    assert_eq!(long.len(), 254);
    let (token, _) = s.sign_in(&long).await;
    let (status, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["email"], long.as_str());
    // One the mailer could never deliver to is refused up front, naming the field.
    let (status, body, _) = s
        .post(
            "/v1/auth/otp",
            None,
            json!({"email": format!("{}@example.com", "a".repeat(65))}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "email");
}

macro_rules! on_backends {
    ($($name:ident),*) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $name() {
                    let s = super::Server::start(super::Backend::Embedded, &[]).await.expect("server");
                    super::$name(s).await;
                }
            )*
        }
        mod services {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(s) = super::Server::start(super::Backend::Services, &[]).await else { return };
                    super::$name(s).await;
                }
            )*
        }
    };
}

on_backends!(
    control_characters_are_refused_by_name,
    totals_past_i64_are_exact,
    the_longest_address_signs_in
);
