//! Reconciling and the history cut at random moments: each movement written has exactly
//! its one history entry, and a reconciliation (or its undoing) is recorded, locked and
//! logged together or not at all.

use reqwest::Method;
use serde_json::json;

use super::server::{email, eventually, str};
use super::{count, cut, no_connection_left_in_a_transaction, postgres_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_up_reconciliations_and_histories_are_all_or_nothing_on_postgres() {
    let Some((s, schema, admin)) = postgres_server().await else {
        return;
    };
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let path = format!("/v1/accounts/{bank}/movements");
    for i in 0..40 {
        let body = json!({"amount": "-1", "description": format!("coffee {i}"),
            "occurred_on": "2026-11-02"});
        cut(&s, Method::POST, &path, &ada, Some(body)).await;
    }
    let whole = [
        // Every movement has its one entry, and every entry its movement.
        "SELECT count(*) FROM {s}.movements m WHERE (SELECT count(*) FROM {s}.history h \
         WHERE h.entity_id = m.id AND h.action = 'created') <> 1",
        "SELECT count(*) FROM {s}.history h WHERE h.entity = 'movement' AND NOT EXISTS \
         (SELECT 1 FROM {s}.movements m WHERE m.id = h.entity_id)",
        // A reconciled day is there iff the reconciliation is, with its entries.
        "SELECT count(*) FROM {s}.accounts a WHERE a.reconciled_on IS DISTINCT FROM \
         (SELECT max(r.on_date) FROM {s}.reconciliations r WHERE r.account_id = a.id)",
        "SELECT count(*) FROM {s}.reconciliations r WHERE NOT EXISTS (SELECT 1 FROM \
         {s}.history h WHERE h.entity_id = r.id AND h.action = 'created')",
        "SELECT (SELECT count(*) FROM {s}.history WHERE entity = 'reconciliation' AND \
         action = 'created') - (SELECT count(*) FROM {s}.history WHERE entity = \
         'reconciliation' AND action = 'deleted') - (SELECT count(*) FROM {s}.reconciliations)",
    ];
    let (admin_ref, schema_ref) = (&admin, schema.as_str());
    let consistent = || async move {
        for sql in whole {
            if count(admin_ref, schema_ref, sql).await != 0 {
                return false;
            }
        }
        true
    };
    eventually("each movement with its one entry", consistent).await;

    // Reconcile at the ledger's balance, hanging up, until one is recorded: on the day
    // before the cut movements, whose hung-up writes may still be finishing (through a
    // balancer, after the consistency check above) and would move a balance of their day.
    let (_, on, _) = s
        .get(
            &format!("/v1/accounts/{bank}/balance?on=2026-11-01"),
            Some(&ada),
        )
        .await;
    assert_eq!(on["balance"], "0.00", "{on}");
    let statement = json!({"date": "2026-11-01", "balance": on["balance"]});
    let reconciliations = format!("/v1/accounts/{bank}/reconciliations");
    let recorded = "SELECT count(*) FROM {s}.reconciliations";
    for _ in 0..20 {
        cut(
            &s,
            Method::POST,
            &reconciliations,
            &ada,
            Some(statement.clone()),
        )
        .await;
        eventually("a reconciliation whole or absent", consistent).await;
        if count(&admin, &schema, recorded).await == 1 {
            break;
        }
    }
    let (status, made, _) = s.post(&reconciliations, Some(&ada), statement).await;
    assert!(
        status == reqwest::StatusCode::CREATED || made["type"] == "/problems/reconciled",
        "{made}"
    );
    let (_, list, _) = s.get(&reconciliations, Some(&ada)).await;
    let id = str(&list["items"][0]["id"]);
    for _ in 0..20 {
        cut(
            &s,
            Method::DELETE,
            &format!("{reconciliations}/{id}"),
            &ada,
            None,
        )
        .await;
        eventually("an undoing whole or absent", consistent).await;
        if count(&admin, &schema, recorded).await == 0 {
            break;
        }
    }
    no_connection_left_in_a_transaction(&admin, &schema).await;
}
