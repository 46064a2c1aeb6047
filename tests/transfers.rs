//! Transfers over HTTP on both backends: both legs and balances at once, cross-currency
//! with what arrived, an Idempotency-Key retry answered once, legs refused through the
//! movement routes, and another user's transfer 404 on every route.

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;

#[path = "support/listening.rs"]
mod listening;
#[path = "support/server.rs"]
mod server;

use reqwest::{Method, StatusCode};
use serde_json::json;
use server::{Backend, Server, email, on_backends, str};

async fn money_moves_between_accounts(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let savings = s.create_account(&token, "Savings", "EUR").await;
    let yen = s.create_account(&token, "Yen", "JPY").await;
    s.post(
        &format!("/v1/accounts/{bank}/movements"),
        Some(&token),
        json!({"amount": "1000.00", "description": "pay"}),
    )
    .await;

    let body = json!({"from_account": bank, "to_account": savings, "amount": "250.00", "description": "Saving"});
    let send = |body: serde_json::Value, key: Option<&str>| {
        let mut req = s
            .http
            .post(s.url("/v1/transfers"))
            .bearer_auth(&token)
            .json(&body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        async move { server::read(req.send().await.expect("request")).await }
    };
    let (status, t, headers) = send(body.clone(), Some("move-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    assert_eq!(
        (t["from"]["amount"].as_str(), t["to"]["amount"].as_str()),
        (Some("-250.00"), Some("250.00"))
    );
    assert_eq!(t["from"]["transfer_id"], t["id"]);
    assert!(t.get("rate").is_none());
    let location = headers["location"].to_str().expect("location").to_string();
    assert_eq!(s.balance(&token, &bank).await, "750.00");
    assert_eq!(s.balance(&token, &savings).await, "250.00");

    let (status, again, headers) = send(body.clone(), Some("move-1")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, t);
    assert_eq!(headers["idempotency-replayed"], "true");
    assert_eq!(s.balance(&token, &bank).await, "750.00");
    let (status, _, _) = send(
        json!({"from_account": bank, "to_account": savings, "amount": "1.00", "description": "x"}),
        Some("move-1"),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, cross, _) = send(json!({"from_account": bank, "to_account": yen, "amount": "10.00", "to_amount": "1625", "description": "Trip"}), None).await;
    assert_eq!(status, StatusCode::CREATED, "{cross}");
    assert_eq!(cross["rate"], "162.500000");
    assert_eq!(s.balance(&token, &yen).await, "1625");
    for bad in [
        json!({"from_account": bank, "to_account": yen, "amount": "10.00", "description": "no to_amount"}),
        json!({"from_account": bank, "to_account": bank, "amount": "1.00", "description": "same"}),
        json!({"from_account": bank, "to_account": savings, "amount": "-1.00", "description": "negative"}),
    ] {
        let (status, problem, _) = send(bad, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    }

    let (status, read, _) = s.get(&location, Some(&token)).await;
    assert_eq!((status, &read), (StatusCode::OK, &t));
    let (status, edited, _) = s
        .send(
            Method::PATCH,
            &location,
            Some(&token),
            Some(json!({"amount": "200.00", "description": "Saving less"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (
            edited["to"]["amount"].as_str(),
            edited["to"]["description"].as_str()
        ),
        (Some("200.00"), Some("Saving less"))
    );
    assert_eq!(s.balance(&token, &savings).await, "200.00");
    let (status, _, _) = s
        .send(
            Method::PATCH,
            &location,
            Some(&token),
            Some(json!({"to_amount": "1.00"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "to_amount must equal amount in one currency"
    );
    let leg = format!("/v1/accounts/{savings}/movements/{}", str(&t["to"]["id"]));
    let (status, problem, _) = s.send(Method::DELETE, &leg, Some(&token), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["type"], "/problems/transfer-leg", "{problem}");

    let (status, _, _) = s.send(Method::DELETE, &location, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.balance(&token, &bank).await, "990.00");
    assert_eq!(s.balance(&token, &savings).await, "0.00");
    let (status, _, _) = s.get(&location, Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn another_users_transfer_is_not_found(s: Server) {
    let (owner, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let a = s.create_account(&owner, "A", "EUR").await;
    let b = s.create_account(&owner, "B", "EUR").await;
    let theirs = s.create_account(&other, "Theirs", "EUR").await;
    let (_, t, _) = s
        .post(
            "/v1/transfers",
            Some(&owner),
            json!({"from_account": a, "to_account": b, "amount": "1.00", "description": "x"}),
        )
        .await;
    let path = format!("/v1/transfers/{}", str(&t["id"]));
    for (method, body) in [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"amount": "2.00"}))),
        (Method::DELETE, None),
    ] {
        let (status, _, _) = s.send(method.clone(), &path, Some(&other), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
    }
    let (status, _, _) = s
        .post(
            "/v1/transfers",
            Some(&other),
            json!({"from_account": theirs, "to_account": a, "amount": "1.00", "description": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.balance(&owner, &a).await, "-1.00");
}

on_backends!(
    money_moves_between_accounts,
    another_users_transfer_is_not_found
);
