//! Webhooks end to end (DESIGN.md, "Sync and events"), against a real HTTP receiver on
//! loopback: signed deliveries of what changed, the same event id on every retry, one
//! `budget.exceeded` per budget and month, private addresses refused unless allowed, and
//! across servers on one Postgres: a killed server's claim delivered by another, and no
//! event delivered twice.

#[path = "webhooks/events.rs"]
mod events;
#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/receiver.rs"]
mod receiver;
#[path = "support/server.rs"]
mod server;
#[path = "webhooks/servers.rs"]
mod servers;

use receiver::{Answer, Receiver, verifies};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, str};

const ALLOW: [(&str, &str); 1] = [("FINANCE_WEBHOOK_ALLOW_PRIVATE", "true")];

/// A webhook of `token`'s user for `events` at `url`: its id and secret.
async fn add_hook(s: &Server, token: &str, url: &str, events: Value) -> (String, String) {
    let (status, body, headers) = s
        .post(
            "/v1/webhooks",
            Some(token),
            json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = str(&body["id"]);
    assert_eq!(
        headers["location"].to_str().expect("location"),
        format!("/v1/webhooks/{id}/deliveries")
    );
    (id, str(&body["secret"]))
}

async fn add_movement(
    s: &Server,
    token: &str,
    account: &str,
    amount: &str,
    category: &str,
) -> String {
    let (status, body, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(token),
            json!({"amount": amount, "description": "test", "category": category}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    str(&body["id"])
}

/// The webhook's deliveries once `done` holds of them (bounded).
async fn deliveries_when(
    s: &Server,
    token: &str,
    hook: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let mut items = Vec::new();
    for _ in 0..300 {
        let (status, body, _) = s
            .get(&format!("/v1/webhooks/{hook}/deliveries"), Some(token))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        items = body["items"].as_array().expect("items").clone();
        if done(&items) {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("deliveries never came to the expected state: {items:#?}");
}

async fn signed_deliveries_carry_what_changed(backend: Backend) {
    let Some(s) = Server::start_alone(backend, &ALLOW).await else {
        return;
    };
    let rx = Receiver::start(&[]).await;
    let (token, _) = s.sign_in(&email()).await;
    let (hook, secret) = add_hook(
        &s,
        &token,
        &rx.url,
        json!(["movement.created", "account.created"]),
    )
    .await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    // Listed without its secret.
    let (_, list, _) = s.get("/v1/webhooks", Some(&token)).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        list["items"][0]["events"],
        json!(["movement.created", "account.created"])
    );
    assert_eq!(list["items"][0]["status"], "active");
    assert!(list["items"][0].get("secret").is_none(), "{list}");
    let account = s.create_account(&token, "Bank", "EUR").await;
    let movement = add_movement(&s, &token, &account, "-12.50", "food").await;
    let got = rx.wait_for(2, 30).await;
    let types: Vec<&str> = got
        .iter()
        .map(|r| r.json["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(types, ["account.created", "movement.created"], "{got:?}");
    for r in &got {
        assert!(verifies(&secret, &r.signature, &r.body), "{r:?}");
        assert!(!verifies("whsec_wrong", &r.signature, &r.body));
        assert!(!verifies(
            &secret,
            &r.signature,
            &r.body.replacen("\"id\"", "\"Id\"", 1)
        ));
    }
    let m = &got[1].json;
    assert_eq!(m["data"]["id"], movement.as_str());
    assert_eq!(m["data"]["amount"], "-12.50");
    assert_eq!(m["data"]["account_id"], account.as_str());
    assert!(m["created_at"].is_string() && m["id"].is_string(), "{m}");
    // Not listened to: nothing sent. Deliveries say what happened.
    let (status, _, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{account}"),
            Some(&token),
            Some(json!({"name": "Main"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let items = deliveries_when(&s, &token, &hook, |items| {
        items.len() == 2 && items.iter().all(|d| d["state"] == "delivered")
    })
    .await;
    assert_eq!(items[0]["id"], m["id"]);
    assert_eq!(items[0]["attempts"][0]["status"], 200);
    assert_eq!(items[0]["next_attempt_at"], Value::Null);
    assert_eq!(rx.received().len(), 2);
    // Deleted: no more deliveries, and it is gone.
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("/v1/webhooks/{hook}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    add_movement(&s, &token, &account, "-1.00", "food").await;
    let (status, _, _) = s
        .get(&format!("/v1/webhooks/{hook}/deliveries"), Some(&token))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(rx.received().len(), 2);
}

async fn a_receiver_failing_twice_gets_the_same_id_three_times(backend: Backend) {
    let Some(s) = Server::start_alone(backend, &ALLOW).await else {
        return;
    };
    let rx = Receiver::start(&[Answer::Status(500), Answer::Status(503)]).await;
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let (hook, secret) = add_hook(&s, &token, &rx.url, json!(["*"])).await;
    add_movement(&s, &token, &account, "-3.00", "food").await;
    // The first two retries come within 90 s of the first attempt.
    let got = rx.wait_for(3, 90).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got.iter()
            .all(|r| r.json["id"] == got[0].json["id"] && r.json["type"] == "movement.created")
    );
    assert!(got.iter().all(|r| verifies(&secret, &r.signature, &r.body)));
    let items = deliveries_when(&s, &token, &hook, |items| {
        items.first().is_some_and(|d| d["state"] == "delivered")
    })
    .await;
    let statuses: Vec<&Value> = items[0]["attempts"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| &a["status"])
        .collect();
    assert_eq!(
        statuses,
        [&json!(500), &json!(503), &json!(200)],
        "{items:#?}"
    );
    assert_eq!(items[0]["attempts"][0]["error"], "answered 500");
}

async fn budget_exceeded_fires_once_per_month(backend: Backend) {
    let Some(s) = Server::start_alone(backend, &ALLOW).await else {
        return;
    };
    let rx = Receiver::start(&[]).await;
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let (status, body, _) = s
        .send(
            Method::PUT,
            "/v1/budgets/food",
            Some(&token),
            Some(json!({"amount": "50.00", "currency": "EUR"})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    add_hook(&s, &token, &rx.url, json!(["budget.exceeded"])).await;
    add_movement(&s, &token, &account, "-30.00", "food").await;
    add_movement(&s, &token, &account, "-5.00", "rent").await;
    let crossing = add_movement(&s, &token, &account, "-30.00", "food").await;
    add_movement(&s, &token, &account, "-10.00", "food").await;
    let got = rx.wait_for(1, 30).await;
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let got = if rx.received().len() > got.len() {
        rx.received()
    } else {
        got
    };
    assert_eq!(got.len(), 1, "{got:?}");
    let event = &got[0].json;
    assert_eq!(event["type"], "budget.exceeded");
    assert_eq!(event["data"]["category"], "food");
    assert_eq!(event["data"]["budget"], "50.00");
    assert_eq!(event["data"]["spent"], "60.00");
    assert_eq!(event["data"]["movement"]["id"], crossing.as_str());
}

async fn bad_webhooks_are_refused(backend: Backend) {
    // Without FINANCE_WEBHOOK_ALLOW_PRIVATE: loopback and private addresses are refused.
    let Some(s) = Server::start_alone(backend, &[]).await else {
        return;
    };
    let (token, _) = s.sign_in(&email()).await;
    for (url, events) in [
        ("http://127.0.0.1:9/hook", json!(["*"])),
        ("http://localhost/hook", json!(["*"])),
        ("http://10.1.2.3/hook", json!(["*"])),
        ("http://[::1]:8080/hook", json!(["*"])),
        ("http://169.254.169.254/latest", json!(["*"])),
        ("ftp://example.com/hook", json!(["*"])),
        ("https://example.com/hook", json!(["movement.exploded"])),
    ] {
        let (status, body, _) = s
            .post(
                "/v1/webhooks",
                Some(&token),
                json!({"url": url, "events": events}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert_eq!(body["type"], "/problems/validation-error", "{body}");
    }
    let (status, _, _) = s
        .post(
            "/v1/webhooks",
            Some(&token),
            json!({"url": "https://example.com", "extra": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, list, _) = s.get("/v1/webhooks", Some(&token)).await;
    assert_eq!(list["items"], json!([]));
    // Someone else's webhook is not found.
    let Some(open) = Server::start_alone(backend, &ALLOW).await else {
        return;
    };
    let (alice, _) = open.sign_in(&email()).await;
    let (bob, _) = open.sign_in(&email()).await;
    let (hook, _) = add_hook(&open, &alice, "http://127.0.0.1:9/hook", json!(["*"])).await;
    let (status, _, _) = open
        .get(&format!("/v1/webhooks/{hook}/deliveries"), Some(&bob))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = open
        .send(
            Method::DELETE,
            &format!("/v1/webhooks/{hook}"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = open.get("/v1/webhooks", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

use events::members_hear_of_their_shared_accounts;

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Backend::Embedded).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await;
                }
            )*
        }
    };
}

both!(
    signed_deliveries_carry_what_changed,
    a_receiver_failing_twice_gets_the_same_id_three_times,
    budget_exceeded_fires_once_per_month,
    bad_webhooks_are_refused,
    members_hear_of_their_shared_accounts,
);
