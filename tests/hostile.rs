//! Hostile requests, generated: any method, path, query, token, key, content type and
//! body (deep, huge, binary, injection-shaped) never gets a 5xx, never stops the server and
//! never writes; and a body left unread is announced with `Connection: close`.

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

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Backend, Server, email};

/// A hostile request: method, path, query, headers and body.
#[derive(Clone)]
struct Hostile {
    method: &'static str,
    path: String,
    query: String,
    auth: u8,
    idempotency_key: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Short enough for a CI log to keep the failure's reason: a body is shown by its length
/// and its first bytes, not one line per byte.
impl std::fmt::Debug for Hostile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = &self.body[..self.body.len().min(160)];
        f.debug_struct("Hostile")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("auth", &self.auth)
            .field("idempotency_key", &self.idempotency_key)
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.len())
            .field("body_start", &String::from_utf8_lossy(shown))
            .finish()
    }
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("' OR 1=1 --".to_string()),
        Just("'; DROP TABLE accounts; --".to_string()),
        Just("\u{0}\u{1}\u{7f}".to_string()),
        Just("💸🏦\u{202e}evil".to_string()),
        Just("..%2F..%2Fetc%2Fpasswd".to_string()),
        Just("99999999999999999999999999999999".to_string()),
        Just("-9223372036854775809".to_string()),
        Just("1e308".to_string()),
        Just("NaN".to_string()),
        "\\PC{0,64}",
        "[a-zA-Z0-9%/._-]{0,300}",
    ]
}

fn hostile_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        hostile_text().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        Just(json!(1e300)),
        Just(Value::String("x".repeat(70_000))),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::hash_map("\\PC{0,12}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // The fields of both write routes, hostile values, and one field no route takes:
        // every one of these must be refused, so nothing can be written.
        (
            hostile_value(),
            hostile_value(),
            hostile_value(),
            hostile_value(),
            hostile_value()
        )
            .prop_map(|(name, currency, amount, description, extra)| {
                serde_json::to_vec(&json!({
                    "name": name, "currency": currency, "amount": amount,
                    "description": description, "occurred_on": extra.clone(), "x-evil": extra
                }))
                .unwrap_or_default()
            }),
        hostile_value().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
        // Deep nesting, far past any sane document.
        (1usize..3000).prop_map(|d| format!("{}{}", "[".repeat(d), "]".repeat(d)).into_bytes()),
        prop::collection::vec(any::<u8>(), 0..512),
        // Ten megabytes.
        Just(vec![b'{'; 10 * 1024 * 1024]),
    ]
}

fn hostile() -> impl Strategy<Value = Hostile> {
    let method = prop_oneof![
        Just("GET"),
        Just("POST"),
        Just("PUT"),
        Just("DELETE"),
        Just("PATCH"),
        Just("OPTIONS")
    ];
    let path = prop_oneof![
        Just("/v1/me".to_string()),
        Just("/v1/accounts".to_string()),
        Just("/v1/accounts/{own}".to_string()),
        Just("/v1/accounts/{own}/movements".to_string()),
        Just("/v1/accounts/{victim}".to_string()),
        Just("/v1/accounts/{victim}/movements".to_string()),
        Just("/v1/auth/otp".to_string()),
        Just("/v1/auth/token".to_string()),
        "/v1/accounts/[a-zA-Z0-9%._'-]{0,80}(/movements)?",
        "/[a-z0-9/%.]{0,120}",
    ];
    let query = prop_oneof![
        Just(String::new()),
        Just("limit=99999999999999999999".to_string()),
        Just("limit=-1&cursor=zz".to_string()),
        Just("from=2026-99-99&to=0000-00-00".to_string()),
        Just("cursor=323032362d30312d30312f2d31".to_string()),
        Just("limit=1%27%20OR%201%3D1".to_string()),
        "[a-z=&%0-9]{0,200}",
    ];
    let key = prop::option::of("[ -~]{0,300}");
    let content_type = prop::option::of(prop_oneof![
        Just("application/json".to_string()),
        Just("text/plain".to_string()),
        Just("multipart/form-data; boundary=x".to_string()),
        "[ -~]{0,40}",
    ]);
    (
        method,
        path,
        query,
        any::<u8>(),
        key,
        content_type,
        hostile_body(),
    )
        .prop_map(
            |(method, path, query, auth, idempotency_key, content_type, body)| Hostile {
                method,
                path,
                query,
                auth,
                idempotency_key,
                content_type,
                body,
            },
        )
}

#[test]
fn hostile_requests_never_fail_the_server_or_write() {
    hostile_requests_on(Backend::Embedded);
}

/// The same on Postgres, which refuses some text SQLite stores (NUL).
#[test]
fn hostile_requests_never_fail_the_server_or_write_on_postgres() {
    hostile_requests_on(Backend::Postgres);
}

fn hostile_requests_on(backend: Backend) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(s) = rt.block_on(Server::start(backend, &[])) else {
        return;
    };
    let (s, own_token, own, victim_token, victim) = rt.block_on(async {
        let (own_token, _) = s.sign_in(&email()).await;
        let own = s.create_account(&own_token, "Mine", "EUR").await;
        let (victim_token, _) = s.sign_in(&email()).await;
        let victim = s.create_account(&victim_token, "Theirs", "EUR").await;
        for (t, a) in [(&own_token, &own), (&victim_token, &victim)] {
            s.post(
                &format!("/v1/accounts/{a}/movements"),
                Some(t),
                json!({"amount": "10", "description": "seed"}),
            )
            .await;
        }
        (s, own_token, own, victim_token, victim)
    });
    let before = rt.block_on(snapshot(
        &s,
        &[(&own_token, &own), (&victim_token, &victim)],
    ));
    let config = ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&hostile(), |h| {
        let status = rt.block_on(send(&s, &h, &own_token, &own, &victim));
        if let Some(status) = status {
            prop_assert!(
                status.as_u16() < 500,
                "{} {}?{} answered {status}",
                h.method,
                h.path,
                h.query
            );
        }
        let alive = rt.block_on(async { s.get("/healthz", None).await.0 });
        prop_assert_eq!(alive, StatusCode::OK, "the server stopped answering");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}\nserver log:\n{}", s.log());
    }
    let after = rt.block_on(snapshot(
        &s,
        &[(&own_token, &own), (&victim_token, &victim)],
    ));
    assert_eq!(before, after, "a hostile request wrote something");
}

#[tokio::test]
async fn a_body_no_route_reads_closes_the_connection_and_says_so() {
    // Found by the hostile barrage: a GET carrying 70 kB was answered 200 without
    // `Connection: close`, the server then dropped the connection with the body unread, and
    // the client's next request on it failed.
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let body = "x".repeat(70_000);
    for method in ["GET", "DELETE", "OPTIONS"] {
        let request = format!(
            "{method} /healthz HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let (head, usable) = raw::then_healthz(s.port, request.as_bytes()).await;
        assert!(
            head.contains("connection: close") || usable,
            "{method}: the connection was dropped unannounced after\n{head}"
        );
    }
    // A body the route reads leaves the connection open for the next request.
    let otp = json!({"email": email()}).to_string();
    let request = format!(
        "POST /v1/auth/otp HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         content-length: {}\r\n\r\n{otp}",
        otp.len()
    );
    let (head, usable) = raw::then_healthz(s.port, request.as_bytes()).await;
    assert!(head.starts_with("http/1.1 202"), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
    assert!(usable, "the connection closed after a read body");
}

/// Sends a hostile request; `None` when the server cut the connection (it may, for a
/// body far over the limit), which the caller checks by asking /healthz.
async fn send(
    s: &Server,
    h: &Hostile,
    own_token: &str,
    own: &str,
    victim: &str,
) -> Option<StatusCode> {
    let path = h.path.replace("{own}", own).replace("{victim}", victim);
    let url = if h.query.is_empty() {
        s.url(&path)
    } else {
        s.url(&format!("{path}?{}", h.query))
    };
    let method = reqwest::Method::from_bytes(h.method.as_bytes()).expect("method");
    // The attacker's own `DELETE /v1/me` is no attack: it deletes them, as it should. Sent
    // without its path's own meaning (a trailing segment), it must still write nothing.
    let url = if method == reqwest::Method::DELETE && path.trim_end_matches('/') == "/v1/me" {
        url.replacen("/v1/me", "/v1/me/x", 1)
    } else {
        url
    };
    let mut req = s.http.request(method, url).body(h.body.clone());
    req = match h.auth % 4 {
        0 => req,
        1 => req.bearer_auth(own_token),
        2 => req.header(
            "authorization",
            format!("Bearer {}", "A".repeat(usize::from(h.auth) * 40)),
        ),
        _ => req.header("authorization", "Basic YWRtaW46YWRtaW4="),
    };
    if let Some(k) = &h.idempotency_key {
        req = req.header("idempotency-key", k.as_str());
    }
    if let Some(ct) = &h.content_type {
        req = req.header("content-type", ct.as_str());
    }
    match req.send().await {
        Ok(res) => Some(res.status()),
        Err(e) if e.is_builder() => None,
        Err(_) => None,
    }
}

/// Everything a user can see, to compare before and after.
async fn snapshot(s: &Server, users: &[(&String, &String)]) -> Vec<Value> {
    let mut out = Vec::new();
    for (token, account) in users {
        let (_, me, _) = s.get("/v1/me", Some(token)).await;
        out.push(me);
        out.push(Value::Array(s.all_movements(token, account).await));
    }
    out
}

#[test]
fn strategies_are_hostile() {
    // The write-shaped bodies always carry a field no route takes.
    let mut runner = proptest::test_runner::TestRunner::default();
    for _ in 0..20 {
        let body = hostile_body()
            .new_tree(&mut runner)
            .expect("tree")
            .current();
        if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&body)
            && m.contains_key("name")
        {
            assert!(m.contains_key("x-evil"));
        }
    }
}
