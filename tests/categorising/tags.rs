//! Tags over HTTP: normalised, filtered on (all must match), counted, in cash flow.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::server::{Backend, Server, email, on_backends, str};
use super::{add, refused};

pub async fn tags_are_normalised_filtered_and_counted(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let cash = s.create_account(&ada, "Cash", "EUR").await;
    let (status, m) = add(
        &s,
        &ada,
        &bank,
        json!({"amount": "-80", "description": "Hotel",
        "occurred_on": "2026-10-02", "category": "travel", "tags": ["Trip", "italy-2026", "trip"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["tags"], json!(["italy-2026", "trip"]));
    add(
        &s,
        &ada,
        &cash,
        json!({"amount": "-20", "description": "Pizza", "occurred_on": "2026-10-03",
        "category": "food", "tags": ["trip"]}),
    )
    .await;
    add(
        &s,
        &ada,
        &cash,
        json!({"amount": "-5", "description": "Coffee", "occurred_on": "2026-10-04",
        "category": "food"}),
    )
    .await;
    let (_, plain) = add(&s, &ada, &cash, json!({"amount": "-1", "description": "x"})).await;
    assert_eq!(plain["tags"], json!([]));

    let count = |page: &Value| page["items"].as_array().expect("items").len();
    let (_, one, _) = s.get("/v1/movements?tag=trip", Some(&ada)).await;
    assert_eq!(count(&one), 2, "{one}");
    let (_, both, _) = s
        .get("/v1/movements?tag=trip&tag=italy-2026", Some(&ada))
        .await;
    assert_eq!(count(&both), 1, "{both}");
    assert_eq!(both["items"][0]["description"], "Hotel");
    let (_, mixed, _) = s.get("/v1/movements?tag=TRIP", Some(&ada)).await;
    assert_eq!(count(&mixed), 2, "tags are read lower-cased: {mixed}");
    let (_, on_account, _) = s
        .get(
            &format!("/v1/accounts/{cash}/movements?tag=trip"),
            Some(&ada),
        )
        .await;
    assert_eq!(count(&on_account), 1, "{on_account}");
    let (status, body, _) = s.get("/v1/movements?tag=no%20space", Some(&ada)).await;
    assert_eq!(refused(status, &body), ["tag"]);

    let (status, tags, _) = s.get("/v1/tags", Some(&ada)).await;
    assert_eq!(status, StatusCode::OK, "{tags}");
    assert_eq!(
        tags,
        json!({"items": [{"name": "italy-2026", "count": 1}, {"name": "trip", "count": 2}]})
    );
    let (_, flow, _) = s
        .get(
            "/v1/reports/cash-flow?from=2026-10-01&to=2026-10-31&tag=trip",
            Some(&ada),
        )
        .await;
    assert_eq!(
        flow["periods"][0]["totals"][0]["expense"], "100.00",
        "{flow}"
    );

    for bad in [
        json!(["with space"]),
        json!([""]),
        json!(["x".repeat(33)]),
        json!((0..11).map(|i| format!("t{i}")).collect::<Vec<_>>()),
    ] {
        let (status, body) = add(
            &s,
            &ada,
            &bank,
            json!({"amount": "-1", "description": "x", "tags": bad}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    // Replacing the tags by PATCH; another user sees none of them.
    let id = str(&m["id"]);
    let (status, changed, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{bank}/movements/{id}"),
            Some(&ada),
            Some(json!({"tags": ["work"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["tags"], json!(["work"]));
    let (_, after, _) = s.get("/v1/movements?tag=italy-2026", Some(&ada)).await;
    assert_eq!(count(&after), 0);
    let (bob, _) = s.sign_in(&email()).await;
    let (_, theirs, _) = s.get("/v1/tags", Some(&bob)).await;
    assert_eq!(theirs, json!({"items": []}));
}

on_backends!(tags_are_normalised_filtered_and_counted);
