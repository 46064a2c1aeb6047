//! Splits, tags and rules over HTTP, on both backends, as DESIGN.md "Splits, tags and
//! rules" says: parts that never move a balance but count in categories, the category
//! filter, cash flow and budgets; tags normalised, filtered on and counted; rules that
//! categorise what is recorded (by the API, a bank import, a schedule), in order, and that
//! preview and apply to what exists.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "categorising/rules.rs"]
mod rules;
#[path = "support/server.rs"]
mod server;
#[path = "categorising/tags.rs"]
mod tags;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, str};

/// Posts a movement and answers the status and body.
async fn add(s: &Server, token: &str, account: &str, body: Value) -> (StatusCode, Value) {
    let (status, m, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(token),
            body,
        )
        .await;
    (status, m)
}

/// The fields refused in a 422 answer.
fn refused(status: StatusCode, body: &Value) -> Vec<String> {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| str(&e["field"]))
        .collect()
}

/// A category's total in `/categories` (None when it is not listed).
async fn category(s: &Server, token: &str, name: &str) -> Option<(u64, String)> {
    let (status, list, _) = s.get("/v1/categories", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["name"] == name)
        .map(|c| {
            (
                c["count"].as_u64().expect("count"),
                str(&c["totals"][0]["amount"]),
            )
        })
}

async fn a_split_receipt_counts_by_part_and_keeps_the_balance(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let receipt = json!({"amount": "-57.30", "description": "Supermarket", "occurred_on": "2026-11-20",
        "splits": [{"amount": "-45.30", "category": "food"},
                   {"amount": "-12", "category": "household", "description": "soap"}]});
    let (status, m) = add(&s, &ada, &bank, receipt).await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["category"], Value::Null);
    assert_eq!(
        m["splits"],
        json!([{"amount": "-45.30", "category": "food", "description": null},
               {"amount": "-12.00", "category": "household", "description": "soap"}])
    );
    assert_eq!(s.balance(&ada, &bank).await, "-57.30");
    let id = str(&m["id"]);
    let (_, read, _) = s
        .get(&format!("/v1/accounts/{bank}/movements/{id}"), Some(&ada))
        .await;
    assert_eq!(read["splits"], m["splits"]);

    // Each part in its category; the movement is not uncategorised.
    assert_eq!(category(&s, &ada, "food").await, Some((1, "-45.30".into())));
    assert_eq!(
        category(&s, &ada, "household").await,
        Some((1, "-12.00".into()))
    );
    let (_, cats, _) = s.get("/v1/categories", Some(&ada)).await;
    assert!(
        cats["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|c| !c["name"].is_null()),
        "{cats}"
    );
    // The category filter finds it by a part, on both list routes.
    for path in [
        format!("/v1/accounts/{bank}/movements?category=household"),
        "/v1/movements?category=household".to_string(),
    ] {
        let (_, page, _) = s.get(&path, Some(&ada)).await;
        assert_eq!(
            page["items"].as_array().expect("items").len(),
            1,
            "{path}: {page}"
        );
    }
    let (_, none, _) = s.get("/v1/movements?category=toys", Some(&ada)).await;
    assert_eq!(none["items"], json!([]));
    // Cash flow and budgets count parts.
    let (_, flow, _) = s
        .get(
            "/v1/reports/cash-flow?from=2026-11-01&to=2026-11-30",
            Some(&ada),
        )
        .await;
    let period = &flow["periods"][0];
    let text = period.to_string();
    assert!(
        text.contains("household") && text.contains("12.00"),
        "{flow}"
    );
    let (status, _, _) = s
        .send(
            Method::PUT,
            "/v1/budgets/household",
            Some(&ada),
            Some(json!({"amount": "20", "currency": "EUR"})),
        )
        .await;
    assert!(status.is_success());
    let (_, budgets, _) = s.get("/v1/budgets?month=2026-11", Some(&ada)).await;
    assert_eq!(budgets["items"][0]["spent"], "12.00", "{budgets}");

    // PATCH: new parts replace the old; null clears them and leaves no category.
    let path = format!("/v1/accounts/{bank}/movements/{id}");
    let (status, changed, _) = s
        .send(
            Method::PATCH,
            &path,
            Some(&ada),
            Some(json!({"splits": [
            {"amount": "-50", "category": "food"}, {"amount": "-7.30", "category": "drinks"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(category(&s, &ada, "household").await, None);
    assert_eq!(
        category(&s, &ada, "drinks").await,
        Some((1, "-7.30".into()))
    );
    // An amount the parts no longer sum to is refused, and nothing changes.
    let (status, body, _) = s
        .send(
            Method::PATCH,
            &path,
            Some(&ada),
            Some(json!({"amount": "-60"})),
        )
        .await;
    assert_eq!(refused(status, &body), ["splits"]);
    assert_eq!(s.balance(&ada, &bank).await, "-57.30");
    let (status, plain, _) = s
        .send(
            Method::PATCH,
            &path,
            Some(&ada),
            Some(json!({"splits": null, "category": "shop"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{plain}");
    assert_eq!(plain["splits"], Value::Null);
    assert_eq!(category(&s, &ada, "food").await, None);
    assert_eq!(category(&s, &ada, "shop").await, Some((1, "-57.30".into())));
}

async fn bad_splits_are_refused_and_write_nothing(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let cases = [
        (json!([{"amount": "-1", "category": "a"}]), vec!["splits"]),
        (
            json!([{"amount": "-1", "category": "a"}, {"amount": "-1", "category": "b"}]),
            vec!["splits"],
        ),
        (
            json!([{"amount": "0", "category": "a"}, {"amount": "-3", "category": "b"}]),
            vec!["splits[0].amount"],
        ),
        (
            json!([{"amount": "-1.001", "category": "a"}, {"amount": "-1.999", "category": "b"}]),
            vec!["splits[0].amount", "splits[1].amount"],
        ),
        (
            json!([{"amount": "-1", "category": ""}, {"amount": "-2", "category": "b"}]),
            vec!["splits[0].category"],
        ),
    ];
    for (splits, fields) in cases {
        let (status, body) = add(
            &s,
            &ada,
            &bank,
            json!({"amount": "-3", "description": "x", "splits": splits}),
        )
        .await;
        assert_eq!(refused(status, &body), fields, "{splits}");
    }
    let (status, body) = add(
        &s,
        &ada,
        &bank,
        json!({"amount": "-3", "description": "x", "category": "c",
        "splits": [{"amount": "-1", "category": "a"}, {"amount": "-2", "category": "b"}]}),
    )
    .await;
    assert_eq!(refused(status, &body), ["category"]);
    let (status, body) = add(&s, &ada, &bank, json!({"amount": "-3", "description": "x",
        "splits": [{"amount": "-1", "category": "a", "extra": 1}, {"amount": "-2", "category": "b"}]})).await;
    assert!(status.is_client_error(), "{body}");
    assert_eq!(s.balance(&ada, &bank).await, "0.00");
    assert!(s.all_movements(&ada, &bank).await.is_empty());
}

async fn transfer_legs_are_never_split(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let a = s.create_account(&ada, "A", "EUR").await;
    let b = s.create_account(&ada, "B", "EUR").await;
    let (status, t, _) = s
        .post(
            "/v1/transfers",
            Some(&ada),
            json!({"from_account": a, "to_account": b, "amount": "10", "description": "move"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let leg = str(&t["from"]["id"]);
    assert_eq!(t["from"]["splits"], Value::Null);
    let (status, body, _) = s
        .send(Method::PATCH, &format!("/v1/accounts/{a}/movements/{leg}"), Some(&ada),
              Some(json!({"splits": [{"amount": "-5", "category": "x"}, {"amount": "-5", "category": "y"}]})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"], "/problems/transfer-leg");
}

async fn a_split_and_tagged_schedule_books_its_template(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let (status, made, _) = s
        .post("/v1/schedules", Some(&ada), json!({"account": bank, "amount": "-100",
            "description": "Rent and parking", "start": "2026-01-01", "end": "2026-02-01",
            "every": "month", "tags": ["home"],
            "splits": [{"amount": "-90", "category": "rent"}, {"amount": "-10", "category": "car"}]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["tags"], json!(["home"]));
    let booked = s.all_movements(&ada, &bank).await;
    assert_eq!(booked.len(), 2);
    for m in &booked {
        assert_eq!(m["splits"][0]["category"], "rent", "{m}");
        assert_eq!(m["tags"], json!(["home"]));
    }
    assert_eq!(category(&s, &ada, "car").await, Some((2, "-20.00".into())));
}

async fn a_qif_split_is_imported_as_parts(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let qif = "!Type:Bank\nD2026-11-02\nT-57.30\nPSupermarket\nL--Split--\nSfood\n$-45.30\nShousehold\nEsoap\n$-12.00\n^\n";
    let res = s
        .http
        .post(s.url(&format!("/v1/accounts/{bank}/imports")))
        .bearer_auth(&ada)
        .header("content-type", "application/qif")
        .body(qif)
        .send()
        .await
        .expect("import");
    let (status, body, _) = server::read(res).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let m = &s.all_movements(&ada, &bank).await[0];
    assert_eq!(m["category"], Value::Null);
    assert_eq!(
        m["splits"][1],
        json!({"amount": "-12.00", "category": "household", "description": "soap"})
    );
    let off = "!Type:Bank\nD2026-11-03\nT-10\nPx\nSa\n$-4\nSb\n$-5\n^\n";
    let res = s
        .http
        .post(s.url(&format!("/v1/accounts/{bank}/imports")))
        .bearer_auth(&ada)
        .header("content-type", "application/qif")
        .body(off)
        .send()
        .await
        .expect("import");
    let (status, body, _) = server::read(res).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["line"], 2, "{body}");
}

on_backends!(
    a_split_receipt_counts_by_part_and_keeps_the_balance,
    bad_splits_are_refused_and_write_nothing,
    transfer_legs_are_never_split,
    a_split_and_tagged_schedule_books_its_template,
    a_qif_split_is_imported_as_parts,
);
