//! The change feed over HTTP, on both backends (DESIGN.md, "Sync and events"): the current
//! state first, then every change after the cursor, each record in its latest state;
//! visibility follows membership; a malformed cursor is 422.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use std::collections::HashMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, str};

/// Reads the feed from `since` (none: the state first) until it has nothing more now;
/// the items in order and the cursor to keep.
async fn follow(s: &Server, token: &str, since: Option<&str>, limit: u16) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut next = since.map(str::to_string);
    for _ in 0..1000 {
        let path = match &next {
            Some(c) => format!("/v1/changes?since={c}&limit={limit}"),
            None => format!("/v1/changes?limit={limit}"),
        };
        let (status, page, _) = s.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        next = Some(str(&page["next"]));
        if page["has_more"] == false {
            return (items, next.unwrap_or_default());
        }
    }
    panic!("the feed never ran dry");
}

type Applied = HashMap<(String, String), Value>;

/// Follows the feed until `done` holds of what was read: another transaction on the same
/// server may hold the feed's line back for a moment (rows are handed out only below
/// every transaction in flight). Bounded.
async fn follow_until(
    s: &Server,
    token: &str,
    since: Option<&str>,
    limit: u16,
    done: impl Fn(&Applied) -> bool,
) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut cursor = since.map(str::to_string);
    for _ in 0..100 {
        let (more, next) = follow(s, token, cursor.as_deref(), limit).await;
        items.extend(more);
        cursor = Some(next);
        if done(&applied(&items)) {
            return (items, cursor.unwrap_or_default());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the feed never showed what was expected: {items:?}");
}

fn has(state: &Applied, entity: &str, id: &str) -> bool {
    state.contains_key(&(entity.to_string(), id.to_string()))
}

/// The latest item per (entity, id), as a client applying them in order would keep.
fn applied(items: &[Value]) -> HashMap<(String, String), Value> {
    let mut state = HashMap::new();
    for i in items {
        state.insert((str(&i["entity"]), str(&i["id"])), i.clone());
    }
    state
}

async fn the_state_then_every_change_in_its_latest_form(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    for i in 0..5 {
        let body = json!({"amount": "-1.00", "description": format!("old {i}")});
        s.post(&format!("/v1/accounts/{bank}/movements"), Some(&ada), body)
            .await;
    }
    // The state: the account and its five movements, each once, as upserted.
    let (state, cursor) = follow_until(&s, &ada, None, 2, |st| {
        st.keys().filter(|(e, _)| e == "movement").count() == 5
    })
    .await;
    let seen = applied(&state);
    let movements = seen.keys().filter(|(e, _)| e == "movement").count();
    assert_eq!(movements, 5, "{state:?}");
    assert_eq!(
        seen[&("account".into(), bank.clone())]["data"]["balance"],
        "-5.00"
    );
    assert!(state.iter().all(|i| i["action"] == "upserted"));

    // Nothing more since.
    let (none, same) = follow(&s, &ada, Some(&cursor), 100).await;
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(same, cursor, "an empty page keeps the cursor");

    // Changes: a movement added then edited, one deleted, a budget, a rule, a new account.
    let (_, m, _) = s
        .post(
            &format!("/v1/accounts/{bank}/movements"),
            Some(&ada),
            json!({"amount": "-2.50", "description": "coffee"}),
        )
        .await;
    let id = str(&m["id"]);
    let (status, _, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{bank}/movements/{id}"),
            Some(&ada),
            Some(json!({"description": "tea"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let old = state
        .iter()
        .find(|i| i["entity"] == "movement")
        .expect("a movement");
    let old_id = str(&old["id"]);
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{bank}/movements/{old_id}"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s
        .send(
            Method::PUT,
            "/v1/budgets/food",
            Some(&ada),
            Some(json!({"amount": "100.00", "currency": "EUR"})),
        )
        .await;
    assert!(status.is_success());
    let (status, rule, _) = s
        .post("/v1/rules", Some(&ada), json!({"name": "cafe", "when": {"description_contains": "cafe"}, "then": {"category": "food"}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");
    let cash = s.create_account(&ada, "Cash", "JPY").await;

    let (changes, next) = follow_until(&s, &ada, Some(&cursor), 2, |st| {
        has(st, "account", &cash)
            && has(st, "rule", &str(&rule["id"]))
            && st
                .get(&("movement".to_string(), id.clone()))
                .is_some_and(|m| m["data"]["description"] == "tea")
    })
    .await;
    assert_ne!(next, cursor);
    let now = applied(&changes);
    assert_eq!(
        now[&("movement".into(), id.clone())]["data"]["description"],
        "tea",
        "the latest state"
    );
    assert_eq!(
        now[&("movement".into(), old_id.clone())]["action"],
        "deleted"
    );
    assert_eq!(now[&("movement".into(), old_id)]["data"], Value::Null);
    assert_eq!(
        now[&("account".into(), bank.clone())]["data"]["balance"],
        "-6.50",
        "the balance moved"
    );
    assert_eq!(
        now[&("budget".into(), "food".into())]["data"]["amount"],
        "100.00"
    );
    assert_eq!(
        now[&("rule".into(), str(&rule["id"]))]["action"],
        "upserted"
    );
    assert_eq!(now[&("account".into(), cash)]["data"]["currency"], "JPY");
    // Nothing twice in a page, and nothing after the cursor kept.
    let (again, _) = follow(&s, &ada, Some(&next), 100).await;
    assert!(again.is_empty(), "{again:?}");

    for bad in ["x", "1", "s.1.2.9.zz", "-1.2"] {
        let (status, body, _) = s.get(&format!("/v1/changes?since={bad}"), Some(&ada)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    let (status, _, _) = s.get("/v1/changes", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn members_see_an_account_from_joining_to_leaving(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Shared", "EUR").await;
    s.post(
        &format!("/v1/accounts/{bank}/movements"),
        Some(&ada),
        json!({"amount": "5", "description": "before"}),
    )
    .await;
    let (bob, bob_id) = s.sign_in(&email()).await;
    let (_, start) = follow(&s, &bob, None, 100).await;

    let (status, body, _) = s
        .post(
            &format!("/v1/accounts/{bank}/members"),
            Some(&ada),
            json!({"email": "", "role": "viewer"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, me, _) = s.get("/v1/me", Some(&bob)).await;
    let bob_email = str(&me["user"]["email"]);
    let invitation = s.invite(&ada, &bank, &bob_email, "viewer", &bob).await;
    let (status, _, _) = s
        .post(
            &format!("/v1/invitations/{invitation}/accept"),
            Some(&bob),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    s.post(
        &format!("/v1/accounts/{bank}/movements"),
        Some(&ada),
        json!({"amount": "-1", "description": "after"}),
    )
    .await;

    let (joined, cursor) = follow_until(&s, &bob, Some(&start), 100, |st| {
        st.values().any(|i| i["data"]["description"] == "after")
    })
    .await;
    let seen = applied(&joined);
    assert_eq!(
        seen[&("account".into(), bank.clone())]["data"]["role"],
        "viewer",
        "{joined:?}"
    );
    assert!(seen.contains_key(&("member".into(), bob_id.clone())));
    let descriptions: Vec<Value> = joined
        .iter()
        .filter(|i| i["entity"] == "movement")
        .map(|i| i["data"]["description"].clone())
        .collect();
    assert_eq!(
        descriptions,
        [json!("after")],
        "changes from when he joined"
    );

    // Removed: the account is deleted for him, and nothing of it follows.
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{bank}/members/{bob_id}"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    s.post(
        &format!("/v1/accounts/{bank}/movements"),
        Some(&ada),
        json!({"amount": "-1", "description": "gone"}),
    )
    .await;
    let (left, _) = follow_until(&s, &bob, Some(&cursor), 100, |st| {
        st.get(&("account".to_string(), bank.clone()))
            .is_some_and(|a| a["action"] == "deleted")
    })
    .await;
    let gone = applied(&left);
    assert_eq!(
        gone[&("account".into(), bank.clone())]["action"],
        "deleted",
        "{left:?}"
    );
    assert!(
        left.iter().all(|i| i["data"]["description"] != "gone"),
        "{left:?}"
    );
    // Ada saw all of it.
    follow_until(&s, &ada, Some(&start), 100, |st| {
        st.values().any(|i| i["data"]["description"] == "gone")
    })
    .await;
}

on_backends!(
    the_state_then_every_change_in_its_latest_form,
    members_see_an_account_from_joining_to_leaving
);
