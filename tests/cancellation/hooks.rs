//! Movements written while clients hang up, with a webhook listening: the outbox is
//! written in the movement's transaction, so every movement has its one delivery (and its
//! feed row) and no delivery names a movement that is not there.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::server::{email, eventually, str};
use super::{count, cut, no_connection_left_in_a_transaction, postgres_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_up_writes_leave_each_movement_with_its_one_delivery_on_postgres() {
    let Some((s, schema, admin)) = postgres_server().await else {
        return;
    };
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let (status, hook, _) = s
        .post(
            "/v1/webhooks",
            Some(&ada),
            json!({"url": "https://example.com/hook", "events": ["movement.created", "movement.deleted"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");
    let hook = str(&hook["id"]);
    let path = format!("/v1/accounts/{bank}/movements");
    for i in 0..40 {
        let body = json!({"amount": "-1", "description": format!("cut {i}")});
        cut(&s, Method::POST, &path, &ada, Some(body)).await;
    }
    // Webhook writes cut too: each is there whole (with its sealed secret) or not at all.
    for _ in 0..10 {
        let body = json!({"url": "https://example.com/other"});
        cut(&s, Method::POST, "/v1/webhooks", &ada, Some(body)).await;
    }
    // One written in full, so the checks below always have a movement to look at.
    let (status, m, _) = s
        .post(
            &path,
            Some(&ada),
            json!({"amount": "-2", "description": "whole"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let whole = [
        format!(
            "SELECT count(*) FROM {{s}}.movements m WHERE (SELECT count(*) FROM \
             {{s}}.webhook_deliveries d WHERE d.webhook_id = '{hook}' \
             AND d.type = 'movement.created' AND d.data LIKE '%' || m.id::text || '%') <> 1"
        ),
        format!(
            "SELECT count(*) FROM {{s}}.webhook_deliveries d WHERE d.webhook_id = '{hook}' \
             AND NOT EXISTS (SELECT 1 FROM {{s}}.movements m \
             WHERE d.data LIKE '%' || m.id::text || '%')"
        ),
        "SELECT count(*) FROM {s}.movements m WHERE NOT EXISTS \
         (SELECT 1 FROM {s}.changes c WHERE c.entity_id = m.id::text)"
            .to_string(),
        "SELECT count(*) FROM {s}.webhooks WHERE length(secret) < 40".to_string(),
    ];
    let (admin_ref, schema_ref, whole_ref) = (&admin, schema.as_str(), &whole);
    eventually("each movement with its one delivery", || async move {
        for sql in whole_ref {
            if count(admin_ref, schema_ref, sql).await != 0 {
                return false;
            }
        }
        true
    })
    .await;
    no_connection_left_in_a_transaction(&admin, &schema).await;
}
