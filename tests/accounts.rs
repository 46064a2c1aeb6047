//! Accounts over HTTP: listed, renamed, archived, deleted; someone else's is 404 on every
//! route; an archived account refuses movements (409) and still counts in totals.

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
use server::{Backend, Server, email, on_backends};

async fn list_rename_archive_delete(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let spare = s.create_account(&token, "Spare", "EUR").await;
    s.create_account(&token, "Cash", "EUR").await;
    let movements = format!("/v1/accounts/{bank}/movements");
    let (status, _, _) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "10.00", "description": "pay"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, list, _) = s.get("/v1/accounts", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Bank", "Cash", "Spare"]);
    assert_eq!(list["items"][0]["archived"], false);

    let path = format!("/v1/accounts/{bank}");
    let patch = |body| s.send(Method::PATCH, &path, Some(&token), Some(body));
    let (status, renamed, _) = patch(json!({"name": "Savings"})).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(
        (renamed["name"].as_str(), renamed["currency"].as_str()),
        (Some("Savings"), Some("EUR"))
    );
    assert_eq!(renamed["balance"], "10.00");
    let (status, body, _) = patch(json!({"name": "Cash"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"], "/problems/name-taken", "{body}");
    let (status, body, _) = patch(json!({"name": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body, _) = patch(json!({"currency": "USD"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "currency never changes: {body}"
    );

    let (status, archived, _) = patch(json!({"archived": true})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(archived["archived"], true);
    let (status, body, _) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "1.00", "description": "late"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"], "/problems/account-archived", "{body}");
    let (_, me, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(
        me["totals"][0]["balance"], "10.00",
        "archived still counts: {me}"
    );
    let (status, _, _) = patch(json!({"archived": false})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "1.00", "description": "again"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, body, _) = s.send(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "has movements: {body}");
    assert_eq!(body["type"], "/problems/has-movements", "{body}");
    let spare_path = format!("/v1/accounts/{spare}");
    let (status, _, _) = s
        .send(Method::DELETE, &spare_path, Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.get(&spare_path, Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = s
        .send(Method::DELETE, &spare_path, Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn another_users_account_is_not_found(s: Server) {
    let (owner, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&owner, "Bank", "EUR").await;
    let path = format!("/v1/accounts/{bank}");
    let tries = [
        (Method::PATCH, Some(json!({"name": "Mine"}))),
        (Method::PATCH, Some(json!({"archived": true}))),
        (Method::DELETE, None),
    ];
    for (method, body) in tries {
        let (status, problem, _) = s.send(method.clone(), &path, Some(&other), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {problem}");
    }
    let (_, list, _) = s.get("/v1/accounts", Some(&other)).await;
    assert_eq!(list["items"], json!([]));
    let (_, mine, _) = s.get(&path, Some(&owner)).await;
    assert_eq!(
        (mine["name"].as_str(), mine["archived"].as_bool()),
        (Some("Bank"), Some(false))
    );
    let (status, _, _) = s.get("/v1/accounts", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

on_backends!(
    list_rename_archive_delete,
    another_users_account_is_not_found
);
