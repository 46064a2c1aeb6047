//! Correcting movements over HTTP: GET with an ETag, PATCH and DELETE with If-Match (412 on
//! a stale one), the balance following in the same transaction; another user's is 404.

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

async fn edit_and_delete_with_etags(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let movements = format!("/v1/accounts/{bank}/movements");
    let (status, lunch, headers) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "-12.50", "description": "Lunch", "category": "food"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let created_tag = headers["etag"].to_str().expect("etag").to_string();
    assert_eq!(lunch["transfer_id"], json!(null));
    assert_eq!(lunch["updated_at"], lunch["created_at"]);
    s.post(
        &movements,
        Some(&token),
        json!({"amount": "100.00", "description": "Pay"}),
    )
    .await;
    let path = format!("{movements}/{}", str(&lunch["id"]));

    let (status, read, headers) = s.get(&path, Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, lunch);
    let tag = headers["etag"].to_str().expect("etag").to_string();
    assert_eq!(tag, created_tag);

    let patch = |body, tag: Option<String>| {
        let mut req = s.http.patch(s.url(&path)).bearer_auth(&token).json(&body);
        if let Some(t) = tag {
            req = req.header("If-Match", t);
        }
        async move { server::read(req.send().await.expect("request")).await }
    };
    let (status, edited, headers) = patch(
        json!({"amount": "-15.00", "category": null}),
        Some(tag.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (edited["amount"].as_str(), edited["category"].is_null()),
        (Some("-15.00"), true)
    );
    assert_eq!(edited["description"], "Lunch");
    let new_tag = headers["etag"].to_str().expect("etag").to_string();
    assert_ne!(new_tag, tag);
    assert_eq!(s.balance(&token, &bank).await, "85.00");

    // The old tag is stale now: nothing is written.
    let (status, body, _) = patch(json!({"amount": "-1.00"}), Some(tag.clone())).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{body}");
    let (status, body, _) = patch(json!({"amount": "-1.001"}), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body, _) = patch(json!({"account_id": bank}), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(s.balance(&token, &bank).await, "85.00");

    let delete = |tag: &str| {
        let req = s
            .http
            .delete(s.url(&path))
            .bearer_auth(&token)
            .header("If-Match", tag.to_string());
        async move { req.send().await.expect("request").status() }
    };
    assert_eq!(delete(&tag).await, StatusCode::PRECONDITION_FAILED);
    assert_eq!(delete(&new_tag).await, StatusCode::NO_CONTENT);
    assert_eq!(s.balance(&token, &bank).await, "100.00");
    let (status, _, _) = s.get(&path, Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.all_movements(&token, &bank).await.len(), 1);
}

async fn another_users_movement_is_not_found(s: Server) {
    let (owner, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&owner, "Bank", "EUR").await;
    let (_, m, _) = s
        .post(
            &format!("/v1/accounts/{bank}/movements"),
            Some(&owner),
            json!({"amount": "5.00", "description": "mine"}),
        )
        .await;
    let path = format!("/v1/accounts/{bank}/movements/{}", str(&m["id"]));
    let tries = [
        (Method::GET, None),
        (Method::PATCH, Some(json!({"amount": "1.00"}))),
        (Method::DELETE, None),
    ];
    for (method, body) in tries {
        let (status, problem, _) = s.send(method.clone(), &path, Some(&other), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {problem}");
    }
    // Through another of the owner's accounts the movement is not found either.
    let cash = s.create_account(&owner, "Cash", "EUR").await;
    let wrong = format!("/v1/accounts/{cash}/movements/{}", str(&m["id"]));
    let (status, _, _) = s.get(&wrong, Some(&owner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.balance(&owner, &bank).await, "5.00");
}

on_backends!(
    edit_and_delete_with_etags,
    another_users_movement_is_not_found
);
