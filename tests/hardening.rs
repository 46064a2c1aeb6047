//! What a hostile or unlucky client tried against the first wave, end to end on each
//! backend: input that must be a clear 4xx rather than a 5xx, the sign-in guess budget,
//! sign-out, and what operators expect of a service (metrics, CORS, keep-alive).

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/raw.rs"]
mod raw;
#[path = "support/server.rs"]
mod server;

use raw::then_healthz;
use reqwest::StatusCode;
use serde_json::json;
use server::{Backend, Server, email, on_backends, str};

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
    // Unique per run: the send limit of an address outlives a test server in Redis.
    let long = format!(
        "{}{}@{}.{}.{}.example.com",
        uuid::Uuid::new_v4().simple(),
        "a".repeat(32),
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

/// Signing out refuses the presented token at once on every route (verified tokens are
/// cached, revocations are not), leaves the user's other tokens alone; signing out
/// everywhere refuses every token issued before, and a sign-in right after works.
async fn sign_out_refuses_the_token_at_once(s: Server) {
    let who = email();
    let (first, _) = s.sign_in(&who).await;
    let (second, _) = s.sign_in(&who).await;
    let account = s.create_account(&first, "Bank", "EUR").await;
    let routes = [
        "/v1/me".to_string(),
        format!("/v1/accounts/{account}"),
        format!("/v1/accounts/{account}/movements"),
    ];
    for path in &routes {
        assert_eq!(s.get(path, Some(&first)).await.0, StatusCode::OK, "{path}");
    }
    let (status, body, _) = s.post("/v1/auth/logout", Some(&first), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    for path in &routes {
        let (status, body, _) = s.get(path, Some(&first)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {body}");
    }
    let (status, _, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(&first),
            json!({"amount": "1", "description": "after sign-out"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        s.post("/v1/auth/logout", Some(&first), json!({})).await.0,
        StatusCode::UNAUTHORIZED,
        "a signed-out token cannot sign out again"
    );
    assert_eq!(s.get("/v1/me", Some(&second)).await.0, StatusCode::OK);

    let (third, _) = s.sign_in(&who).await;
    let (status, _, _) = s
        .post("/v1/auth/logout-all", Some(&second), json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for token in [&second, &third] {
        assert_eq!(
            s.get("/v1/me", Some(token)).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (fresh, _) = s.sign_in(&who).await;
    let (status, me, _) = s.get("/v1/me", Some(&fresh)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["accounts"][0]["id"], account.as_str(), "the data stays");
    // Without a token there is nothing to sign out.
    assert_eq!(
        s.post("/v1/auth/logout", None, json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
}

/// `/metrics` counts requests by route template and status (never a raw path with an id),
/// keeps latency histograms, pool use and mail sent.
async fn metrics_count_by_route_template(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let missing = uuid::Uuid::new_v4();
    assert_eq!(
        s.get(&format!("/v1/accounts/{account}"), Some(&token))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        s.get(&format!("/v1/accounts/{missing}"), Some(&token))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let text = s.metrics().await;
    let has = |parts: &[&str]| {
        text.lines()
            .any(|l| !l.starts_with('#') && parts.iter().all(|p| l.contains(p)))
    };
    assert!(
        has(&[
            "finance_http_requests_total{",
            "route=\"/v1/accounts/{id}\"",
            "status=\"404\""
        ]),
        "{text}"
    );
    assert!(has(&[
        "finance_http_requests_total{",
        "route=\"/v1/accounts/{id}\"",
        "status=\"200\""
    ]));
    assert!(has(&[
        "finance_http_requests_total{",
        "route=\"/v1/auth/token\"",
        "status=\"200\""
    ]));
    assert!(has(&[
        "finance_http_request_duration_seconds_bucket{",
        "le=\"0.005\""
    ]));
    assert!(has(&["finance_mail_total{", "outcome=\"sent\""]));
    assert!(has(&["finance_db_pool_connections{", "state=\"in_use\""]));
    assert!(
        !text.contains(&account) && !text.contains(&missing.to_string()),
        "ids in labels"
    );
}

on_backends!(
    control_characters_are_refused_by_name,
    totals_past_i64_are_exact,
    the_longest_address_signs_in,
    sign_out_refuses_the_token_at_once,
    metrics_count_by_route_template
);

/// With `FINANCE_METRICS_BIND`, metrics are served there and not on the API's address.
#[tokio::test]
async fn metrics_can_have_a_listener_of_their_own() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let bind = format!("127.0.0.1:{port}");
    let s = Server::start_process(
        Backend::Embedded,
        &[("FINANCE_METRICS_BIND", bind.as_str())],
    )
    .await
    .expect("server");
    assert_eq!(s.get("/metrics", None).await.0, StatusCode::NOT_FOUND);
    let res = s
        .http
        .get(format!("http://{bind}/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("text");
    assert!(text.contains("finance_http_requests_total"), "{text}");
}

/// A client that gets a 401, 404 or 422 keeps its keep-alive connection; only an answer
/// given before a declared body was read closes it, and says so.
#[tokio::test]
async fn errors_keep_the_connection_unless_a_body_was_left_unread() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let (token, _) = s.sign_in(&email()).await;
    let empty = r#"{"name": "", "currency": "EUR"}"#;
    let kept = [
        "GET /v1/me HTTP/1.1\r\nhost: x\r\n\r\n".to_string(),
        format!(
            "GET /v1/accounts/{} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\r\n",
            uuid::Uuid::new_v4()
        ),
        format!(
            "GET /v1/accounts/x/movements?limit=0 HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\r\n"
        ),
        // A body read in full and refused: 422.
        format!(
            "POST /v1/accounts HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{empty}",
            empty.len()
        ),
    ];
    for request in &kept {
        let (head, usable) = then_healthz(s.port, request.as_bytes()).await;
        assert!(head.starts_with("http/1.1 4"), "{head}");
        assert!(!head.contains("connection: close"), "{request}\n{head}");
        assert!(usable, "{request}: the connection did not survive\n{head}");
    }
    // Refused before its body was read (no token): the connection closes, announced.
    let body = "{\"name\": \"x\", \"currency\": \"EUR\"}";
    let request = format!(
        "POST /v1/accounts HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    );
    let (head, _) = then_healthz(s.port, request.as_bytes()).await;
    assert!(head.starts_with("http/1.1 401"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
}

/// CORS is off by default (no headers for any origin); with `FINANCE_CORS_ORIGINS` the
/// listed origins get preflights answered and headers, others are refused.
#[tokio::test]
async fn cors_is_off_by_default_and_follows_the_configured_origins() {
    let off = Server::start(Backend::Embedded, &[]).await.expect("server");
    let res = off
        .http
        .get(off.url("/healthz"))
        .header("origin", "https://app.example")
        .send()
        .await
        .expect("get");
    assert!(!res.headers().contains_key("access-control-allow-origin"));

    let on = Server::start(
        Backend::Embedded,
        &[(
            "FINANCE_CORS_ORIGINS",
            "https://app.example, https://other.example",
        )],
    )
    .await
    .expect("server");
    let preflight = on
        .http
        .request(reqwest::Method::OPTIONS, on.url("/v1/accounts"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    let res = on
        .http
        .get(on.url("/healthz"))
        .header("origin", "https://other.example")
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://other.example"
    );
    let refused = on
        .http
        .get(on.url("/healthz"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("get");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
}
