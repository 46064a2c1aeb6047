//! Attacks on the running server: guessing codes, flooding sign-in, forging tokens,
//! reaching into another user's data (hostile.rs has the generated barrage). None may
//! succeed, none may be answered with a 500, and none may write anything.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use finance_core::adapters::paseto::{PasetoTokens, TokenSettings};
use finance_core::domain::UserId;
use finance_core::ports::TokenService;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Backend, Server, email};
use time::{Duration, OffsetDateTime};

/// A thousand guesses at one email's code, each from another client address (through a
/// trusted proxy), with new codes asked for along the way: none gets in, the right code
/// among them included, because wrong guesses are counted per email across codes.
#[tokio::test]
async fn a_thousand_guesses_never_sign_in() {
    let s = Server::start(Backend::Embedded, &[("FINANCE_TRUST_PROXY", "true")])
        .await
        .expect("server");
    let victim = email();
    let ask = |client: u32| {
        s.http
            .post(s.url("/v1/auth/otp"))
            .header(
                "x-forwarded-for",
                format!("10.1.{}.{}", client / 256, client % 256),
            )
            .json(&json!({"email": victim}))
            .send()
    };
    assert_eq!(ask(0).await.expect("otp").status(), StatusCode::ACCEPTED);
    let mut real = s.inbox.code_for(&victim);
    let mut first_refusal = None;
    let mut limited = 0;
    for guess in 0..1_000u32 {
        // Fresh codes keep coming (as many as the send limit allows): each would have
        // reset the tries of the old scheme.
        if guess % 100 == 50 && ask(guess).await.expect("otp").status() == StatusCode::ACCEPTED {
            real = s.inbox.code_for(&victim);
        }
        // The real code is among the guesses, after the first wrong ones.
        let code = if guess == 500 {
            real.clone()
        } else {
            format!("{:06}", (guess * 7_919 + 13) % 1_000_000)
        };
        if guess != 500 && code == real {
            continue;
        }
        let res = s
            .http
            .post(s.url("/v1/auth/token"))
            .header(
                "x-forwarded-for",
                format!("10.2.{}.{}", guess / 256, guess % 256),
            )
            .json(&json!({"email": victim, "code": code}))
            .send()
            .await
            .expect("guess");
        let status = res.status();
        let body: Value = res.json().await.expect("json");
        match status {
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            StatusCode::UNAUTHORIZED => match &first_refusal {
                None => first_refusal = Some(body),
                Some(first) => assert_eq!(&body, first, "refusals must not differ"),
            },
            other => panic!("guess {guess} answered {other}: {body}"),
        }
    }
    assert!(
        limited >= 980,
        "only {limited} guesses were refused by the budget"
    );
    let (status, _, headers) = s
        .post(
            "/v1/auth/token",
            None,
            json!({"email": victim, "code": real}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the budget holds for the right code too"
    );
    assert!(headers.contains_key("retry-after"));
}

/// Someone who mistypes twice still signs in with the right code.
#[tokio::test]
async fn two_typos_then_the_right_code_signs_in() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let who = email();
    let (status, _, _) = s.post("/v1/auth/otp", None, json!({"email": who})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let real = s.inbox.code_for(&who);
    for typo in ["000000", "999999"] {
        if typo == real {
            continue;
        }
        let (status, _, _) = s
            .post("/v1/auth/token", None, json!({"email": who, "code": typo}))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body, _) = s
        .post("/v1/auth/token", None, json!({"email": who, "code": real}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// One address sending sign-in requests past the per-client limit is refused with 429 and
/// Retry-After; `X-Forwarded-For` is ignored unless a proxy is trusted.
#[tokio::test]
async fn auth_requests_are_limited_per_client_address() {
    let s = Server::start(Backend::Embedded, &[("FINANCE_AUTH_CLIENT_LIMIT", "5")])
        .await
        .expect("server");
    let mut statuses = Vec::new();
    for i in 0..8 {
        let res = s
            .http
            .post(s.url("/v1/auth/otp"))
            // Not believed: no trusted proxy, so all of these are one client.
            .header("x-forwarded-for", format!("10.9.0.{i}"))
            .json(&json!({"email": email()}))
            .send()
            .await
            .expect("otp");
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
        }
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [202, 202, 202, 202, 202, 429, 429, 429]);
    // Token requests count against the same client.
    let (status, _, _) = s
        .post(
            "/v1/auth/token",
            None,
            json!({"email": email(), "code": "123456"}),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Other routes are not limited by it.
    assert_eq!(s.get("/healthz", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn known_and_unknown_emails_get_the_same_answer() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let known = email();
    s.sign_in(&known).await;
    let (s1, b1, h1) = s.post("/v1/auth/otp", None, json!({"email": known})).await;
    let (s2, b2, h2) = s
        .post("/v1/auth/otp", None, json!({"email": email()}))
        .await;
    assert_eq!((s1, &b1), (s2, &b2));
    assert_eq!(h1.get("content-type"), h2.get("content-type"));
}

#[tokio::test]
async fn forged_expired_and_foreign_tokens_are_refused_alike() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let (token, user) = s.sign_in(&email()).await;
    let user = UserId::parse("sub", &user).expect("uuid");
    let now = OffsetDateTime::now_utc();
    let key_file = s.data_dir().join("token.key");
    let with = |settings: TokenSettings| {
        PasetoTokens::from_key_file(&key_file, settings).expect("server key")
    };
    // Tokens made with the server's own key but the wrong claims.
    let expired = with(TokenSettings::default())
        .issue(user, now - Duration::days(8))
        .expect("issue")
        .token;
    let audience = with(TokenSettings {
        audience: "another-app".into(),
        ..Default::default()
    })
    .issue(user, now)
    .expect("issue")
    .token;
    let issuer = with(TokenSettings {
        issuer: "evil".into(),
        ..Default::default()
    })
    .issue(user, now)
    .expect("issue")
    .token;
    // A token from another key.
    let dir = tempfile::tempdir().expect("dir");
    let foreign = PasetoTokens::from_key_file(&dir.path().join("k"), TokenSettings::default())
        .expect("key")
        .issue(user, now)
        .expect("issue")
        .token;
    let mut tampered = token.clone().into_bytes();
    let i = tampered.len() / 2;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let (body_part, footer) = token.rsplit_once('.').expect("footer");
    let stripped = body_part.to_string();
    let forged_footer = format!(
        "{body_part}.eyJraWQiOiJrNC5waWQuQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBIn0"
    );
    let other_versions = [
        token.replacen("v4.public.", "v2.public.", 1),
        token.replacen("v4.public.", "v3.public.", 1),
        token.replacen("v4.public.", "v4.local.", 1),
        // A JWT with "alg": "none".
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0.".to_string(),
    ];
    let mut bodies = Vec::new();
    let mut all = vec![
        expired,
        audience,
        issuer,
        foreign,
        tampered,
        stripped,
        forged_footer,
        format!("{token}.{footer}"),
    ];
    all.extend(other_versions);
    for bad in &all {
        let (status, body, headers) = s.get("/v1/me", Some(bad)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(headers["www-authenticate"], "Bearer");
        bodies.push(body);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "401 bodies must not say why"
    );
    assert_eq!(
        s.get("/v1/me", Some(&token)).await.0,
        StatusCode::OK,
        "the real token still works"
    );
}

#[tokio::test]
async fn another_users_ids_are_not_found_on_every_route() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let (victim, _) = s.sign_in(&email()).await;
    let (attacker, _) = s.sign_in(&email()).await;
    let account = s.create_account(&victim, "Private", "EUR").await;
    s.post(
        &format!("/v1/accounts/{account}/movements"),
        Some(&victim),
        json!({"amount": "100", "description": "salary"}),
    )
    .await;
    let missing = uuid::Uuid::new_v4().to_string();
    let movement = json!({"amount": "1", "description": "theft"});
    for id in [&account, &missing] {
        let answers = [
            s.get(&format!("/v1/accounts/{id}"), Some(&attacker)).await,
            s.get(&format!("/v1/accounts/{id}/movements"), Some(&attacker))
                .await,
            s.get(
                &format!("/v1/accounts/{id}/movements?limit=1&from=2000-01-01"),
                Some(&attacker),
            )
            .await,
            s.post(
                &format!("/v1/accounts/{id}/movements"),
                Some(&attacker),
                movement.clone(),
            )
            .await,
        ];
        for (status, body, _) in answers {
            assert_eq!(status, StatusCode::NOT_FOUND, "{id}: {body}");
            assert_eq!(
                body,
                json!({"type": "/problems/not-found", "title": "Not found", "status": 404, "detail": "There is nothing at this address."})
            );
        }
    }
    let (_, me, _) = s.get("/v1/me", Some(&attacker)).await;
    assert_eq!(me["accounts"], json!([]));
    assert_eq!(me["totals"], json!([]));
    assert_eq!(s.balance(&victim, &account).await, "100.00");
    assert_eq!(s.all_movements(&victim, &account).await.len(), 1);
}
