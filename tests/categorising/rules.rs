//! Rules over HTTP: what they do to movements as they are recorded (the API, a bank
//! import), their order, preview and apply, and what is refused.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::server::{Backend, Server, email, on_backends, str};
use super::{add, refused};

async fn rule(s: &Server, token: &str, body: Value) -> Value {
    let (status, r, headers) = s.post("/v1/rules", Some(token), body).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let id = str(&r["id"]);
    assert_eq!(
        headers.get("location").and_then(|l| l.to_str().ok()),
        Some(format!("/v1/rules/{id}").as_str())
    );
    r
}

/// The rules' names in order, with their positions.
async fn order(s: &Server, token: &str) -> Vec<(u64, String)> {
    let (status, list, _) = s.get("/v1/rules", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| (r["position"].as_u64().expect("position"), str(&r["name"])))
        .collect()
}

pub async fn rules_categorise_what_is_recorded(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let rewe = rule(
        &s,
        &ada,
        json!({"name": "REWE", "when": {"description_contains": "rewe sagt"},
        "then": {"category": "groceries", "description": "REWE", "add_tags": ["food"]}}),
    )
    .await;
    rule(
        &s,
        &ada,
        json!({"name": "Big", "when": {"amount_max": "-100"},
        "then": {"category": "big", "add_tags": ["large"]}}),
    )
    .await;
    rule(
        &s,
        &ada,
        json!({"name": "Regex", "when": {"description_matches": "^REWE SAGT DANKE [0-9]+$"},
        "then": {"category": "never", "description": "never"}}),
    )
    .await;

    let (status, m) = add(
        &s,
        &ada,
        &bank,
        json!({"amount": "-120", "description": "REWE SAGT DANKE 4411"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["category"], "groceries", "the first rule naming it wins");
    assert_eq!(m["description"], "REWE");
    assert_eq!(
        m["tags"],
        json!(["food", "large"]),
        "every matching rule adds its tags"
    );
    assert_eq!(m["rule_id"], rewe["id"]);
    // A category the request names stays; a split movement gets none.
    let (_, kept) = add(
        &s,
        &ada,
        &bank,
        json!({"amount": "-3", "description": "rewe sagt danke", "category": "party"}),
    )
    .await;
    assert_eq!(kept["category"], "party");
    assert_eq!(kept["description"], "REWE");
    let (_, split) = add(
        &s,
        &ada,
        &bank,
        json!({"amount": "-3", "description": "REWE SAGT x",
        "splits": [{"amount": "-1", "category": "a"}, {"amount": "-2", "category": "b"}]}),
    )
    .await;
    assert_eq!(split["category"], Value::Null, "{split}");
    let (_, none) = add(
        &s,
        &ada,
        &bank,
        json!({"amount": "-3", "description": "Cinema"}),
    )
    .await;
    assert_eq!(
        (none["category"].clone(), none["rule_id"].clone()),
        (Value::Null, Value::Null)
    );

    // A bank file: each row categorised; the same file again adds nothing twice.
    let csv = "date,amount,description\n2026-11-01,-45.30,REWE SAGT DANKE 1\n\
               2026-11-02,-12.00,REWE SAGT DANKE 2\n2026-11-03,-2.00,Bakery\n";
    for (added, duplicates) in [(3, 0), (0, 3)] {
        let res = s
            .http
            .post(s.url(&format!("/v1/accounts/{bank}/imports")))
            .bearer_auth(&ada)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("import");
        let (status, body, _) = super::server::read(res).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            (body["added"].as_u64(), body["duplicates"].as_u64()),
            (Some(added), Some(duplicates))
        );
    }
    let (_, groceries, _) = s.get("/v1/movements?category=groceries", Some(&ada)).await;
    assert_eq!(
        groceries["items"].as_array().expect("items").len(),
        3,
        "{groceries}"
    );
    let (_, listed, _) = s
        .get(&format!("/v1/rules/{}", str(&rewe["id"])), Some(&ada))
        .await;
    // The movement, the kept category, the split one (renamed) and two imported rows.
    assert_eq!(listed["applied"], 5, "{listed}");

    // Another user's rules do nothing here, and theirs are not Ada's to read.
    let (bob, _) = s.sign_in(&email()).await;
    let theirs = s.create_account(&bob, "Bob", "EUR").await;
    let (_, bobs) = add(
        &s,
        &bob,
        &theirs,
        json!({"amount": "-120", "description": "REWE SAGT DANKE 1"}),
    )
    .await;
    assert_eq!(bobs["category"], Value::Null);
    for method in [Method::GET, Method::DELETE] {
        let (status, _, _) = s
            .send(
                method,
                &format!("/v1/rules/{}", str(&rewe["id"])),
                Some(&bob),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

pub async fn rules_keep_their_order(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    for name in ["a", "b", "c"] {
        rule(
            &s,
            &ada,
            json!({"name": name, "when": {"description_contains": name},
            "then": {"category": name}}),
        )
        .await;
    }
    let first = rule(
        &s,
        &ada,
        json!({"name": "first", "position": 1,
        "when": {"description_contains": "x"}, "then": {"add_tags": ["x"]}}),
    )
    .await;
    rule(
        &s,
        &ada,
        json!({"name": "far", "position": 99,
        "when": {"description_contains": "y"}, "then": {"add_tags": ["y"]}}),
    )
    .await;
    let names = |v: Vec<(u64, String)>| {
        v.into_iter()
            .map(|(p, n)| format!("{p}{n}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(order(&s, &ada).await),
        ["1first", "2a", "3b", "4c", "5far"]
    );
    let id = str(&first["id"]);
    let (status, moved, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/rules/{id}"),
            Some(&ada),
            Some(json!({"position": 4})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["position"], 4);
    assert_eq!(
        names(order(&s, &ada).await),
        ["1a", "2b", "3c", "4first", "5far"]
    );
    let (status, _, _) = s
        .send(Method::DELETE, &format!("/v1/rules/{id}"), Some(&ada), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(names(order(&s, &ada).await), ["1a", "2b", "3c", "4far"]);
    let (status, _, _) = s.get(&format!("/v1/rules/{id}"), Some(&ada)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

pub async fn preview_changes_nothing_and_apply_changes_all(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    for (d, c) in [
        ("REWE 1", None),
        ("REWE 2", None),
        ("rewe 3", Some("food")),
        ("Other", None),
    ] {
        let (status, m) = add(
            &s,
            &ada,
            &bank,
            json!({"amount": "-1", "description": d, "category": c}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{m}");
    }
    let r = rule(
        &s,
        &ada,
        json!({"name": "REWE", "when": {"description_contains": "REWE"},
        "then": {"category": "groceries"}}),
    )
    .await;
    let id = str(&r["id"]);
    let (status, preview, _) = s
        .post(&format!("/v1/rules/{id}/preview"), Some(&ada), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let items = preview["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        2,
        "a set category stays without overwrite: {preview}"
    );
    assert_eq!(items[0]["after"]["category"], "groceries");
    assert_eq!(items[0]["movement"]["category"], Value::Null);
    let (_, all, _) = s
        .post(
            &format!("/v1/rules/{id}/preview?overwrite=true"),
            Some(&ada),
            json!({}),
        )
        .await;
    assert_eq!(all["items"].as_array().expect("items").len(), 3);
    let (_, still, _) = s.get("/v1/movements?category=groceries", Some(&ada)).await;
    assert_eq!(still["items"], json!([]), "preview changes nothing");

    let apply = |key: &'static str, overwrite: bool| {
        let s = &s;
        let ada = ada.clone();
        let id = id.clone();
        async move {
            let res = s
                .http
                .post(s.url(&format!("/v1/rules/{id}/apply")))
                .bearer_auth(&ada)
                .header("idempotency-key", key)
                .json(&json!({"overwrite": overwrite}))
                .send()
                .await
                .expect("apply");
            super::server::read(res).await
        }
    };
    let (status, applied, _) = apply("k1", false).await;
    assert_eq!(
        (status, applied.clone()),
        (StatusCode::OK, json!({"changed": 2}))
    );
    let (status, again, headers) = apply("k1", false).await;
    assert_eq!(
        (status, again),
        (StatusCode::OK, json!({"changed": 2})),
        "the first answer again"
    );
    assert_eq!(
        headers.get("idempotency-replayed").map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    let (status, reused, _) = apply("k1", true).await;
    assert_eq!(status, StatusCode::CONFLICT, "{reused}");
    let (_, rest, _) = apply("k2", true).await;
    assert_eq!(rest, json!({"changed": 1}));
    let (_, none, _) = apply("k3", true).await;
    assert_eq!(none, json!({"changed": 0}));
    let (_, done, _) = s.get("/v1/movements?category=groceries", Some(&ada)).await;
    let done = done["items"].as_array().expect("items").clone();
    assert_eq!(done.len(), 3);
    // Each records the rule and the change (made after it was recorded, by Ada).
    assert!(
        done.iter().all(|m| m["rule_id"] == r["id"]
            && m["updated_at"] != m["created_at"]
            && m["updated_by"] == m["created_by"]),
        "{done:?}"
    );
    assert_eq!(s.balance(&ada, &bank).await, "-4.00", "no balance moves");
}

pub async fn bad_rules_are_refused(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let (bob, _) = s.sign_in(&email()).await;
    let bobs = s.create_account(&bob, "Bob", "EUR").await;
    let cases = [
        (
            json!({"name": "x", "when": {}, "then": {"category": "c"}}),
            vec!["when"],
        ),
        (
            json!({"name": "x", "when": {"description_contains": "a"}, "then": {}}),
            vec!["then"],
        ),
        (
            json!({"name": "x", "when": {"description_matches": "(a"}, "then": {"category": "c"}}),
            vec!["when.description_matches"],
        ),
        (
            json!({"name": "x", "when": {"description_matches": "(?=a)"}, "then": {"category": "c"}}),
            vec!["when.description_matches"],
        ),
        (
            json!({"name": "x", "when": {"account": bobs}, "then": {"category": "c"}}),
            vec!["when.account"],
        ),
        (
            json!({"name": "x", "position": 0, "when": {"currency": "EUR"}, "then": {"category": "c"}}),
            vec!["position"],
        ),
        (
            json!({"name": "", "when": {"amount_min": "1", "amount_max": "0"}, "then": {"add_tags": ["a b"]}}),
            vec!["name", "when.amount_max", "then.add_tags[0]"],
        ),
    ];
    for (body, fields) in cases {
        let (status, answer, _) = s.post("/v1/rules", Some(&ada), body.clone()).await;
        assert_eq!(refused(status, &answer), fields, "{body}");
    }
    let (status, _, _) = s.post("/v1/rules", Some(&ada), json!([])).await;
    assert!(status.is_client_error());
    assert!(order(&s, &ada).await.is_empty(), "nothing was written");
}

on_backends!(
    rules_categorise_what_is_recorded,
    rules_keep_their_order,
    preview_changes_nothing_and_apply_changes_all,
    bad_rules_are_refused,
);
