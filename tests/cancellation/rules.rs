//! Split and tagged movements, and a rule's apply, cut at random moments: a movement is
//! stored with all its parts and tags or not at all, and an apply changes every movement
//! it would change or none.

use reqwest::Method;
use serde_json::json;

use super::server::{email, eventually, str};
use super::{count, cut, no_connection_left_in_a_transaction, postgres_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_up_splits_and_applies_are_all_or_nothing_on_postgres() {
    let Some((s, schema, admin)) = postgres_server().await else {
        return;
    };
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let path = format!("/v1/accounts/{bank}/movements");
    for i in 0..40 {
        let body = json!({"amount": "-10", "description": format!("REWE {i}"), "tags": ["shop"],
            "splits": [{"amount": "-7", "category": "food"}, {"amount": "-3", "category": "home"}]});
        cut(&s, Method::POST, &path, &ada, Some(body)).await;
    }
    let whole = [
        // Every split movement has its parts, every tagged one its tags, and no part or
        // tag is left without its movement.
        "SELECT count(*) FROM {s}.movements m WHERE m.splits IS NOT NULL AND \
         (SELECT count(*) FROM {s}.movement_parts p WHERE p.movement_id = m.id) <> 2",
        "SELECT count(*) FROM {s}.movements m WHERE m.tags IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM {s}.movement_tags t WHERE t.movement_id = m.id)",
        "SELECT count(*) FROM {s}.movement_parts p WHERE NOT EXISTS \
         (SELECT 1 FROM {s}.movements m WHERE m.id = p.movement_id)",
        // The balance is the sum of what is there.
        "SELECT count(*) FROM {s}.accounts a WHERE a.balance <> \
         (SELECT coalesce(sum(amount), 0) FROM {s}.movements m WHERE m.account_id = a.id)",
    ];
    let (admin_ref, schema_ref) = (&admin, schema.as_str());
    eventually(
        "each movement whole, with its parts and tags",
        || async move {
            for sql in whole {
                if count(admin_ref, schema_ref, sql).await != 0 {
                    return false;
                }
            }
            true
        },
    )
    .await;
    // Some of them for the apply to change, whatever was cut.
    for i in 0..5 {
        let (status, m, _) = s
            .post(
                &path,
                Some(&ada),
                json!({"amount": "-1", "description": format!("REWE late {i}")}),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{m}");
    }
    let (_, rule, _) = s
        .post(
            "/v1/rules",
            Some(&ada),
            json!({"name": "REWE", "when": {"description_contains": "rewe"},
            "then": {"category": "groceries", "add_tags": ["rewe"]}}),
        )
        .await;
    let id = str(&rule["id"]);
    let (_, preview, _) = s
        .post(&format!("/v1/rules/{id}/preview"), Some(&ada), json!({}))
        .await;
    let would = preview["items"].as_array().expect("items").len() as i64;
    assert!(would >= 5, "{preview}");
    let changed = format!("SELECT count(*) FROM {{s}}.movements WHERE rule_id = '{id}'");
    let changed_ref = changed.as_str();
    for _ in 0..10 {
        cut(
            &s,
            Method::POST,
            &format!("/v1/rules/{id}/apply"),
            &ada,
            Some(json!({})),
        )
        .await;
        let n = count(&admin, &schema, changed_ref).await;
        assert!(n == 0 || n == would, "an apply changed {n} of {would}");
        if n == would {
            break;
        }
    }
    eventually("the apply done whole or not at all", || async move {
        let n = count(admin_ref, schema_ref, changed_ref).await;
        n == 0 || n == would
    })
    .await;
    for sql in whole {
        assert_eq!(count(&admin, &schema, sql).await, 0, "{sql}");
    }
    let tagged = format!(
        "SELECT count(*) FROM {{s}}.movements m WHERE m.rule_id = '{id}' AND NOT EXISTS \
         (SELECT 1 FROM {{s}}.movement_tags t WHERE t.movement_id = m.id AND t.tag = 'rewe')"
    );
    assert_eq!(
        count(&admin, &schema, &tagged).await,
        0,
        "every change has its tag row"
    );
    no_connection_left_in_a_transaction(&admin, &schema).await;
}
