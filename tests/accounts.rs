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

use mail::Inbox;
use reqwest::{Method, StatusCode};
use serde_json::json;
use server::{Backend, Server, email, on_backends};

async fn list_rename_archive_delete(s: Server) {
    let address = email();
    let (token, me) = s.sign_in(&address).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let spare = s.create_account(&token, "Spare", "EUR").await;
    s.create_account(&token, "Cash", "EUR").await;
    let movements = format!("/v1/accounts/{bank}/movements");
    let (status, added, _) = s
        .post(
            &movements,
            Some(&token),
            json!({"amount": "10.00", "description": "pay"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    // Who recorded it, and its account's currency, as written and as read back.
    let by = json!({"id": me, "email": address});
    assert_eq!(
        (&added["created_by"], &added["updated_by"]),
        (&by, &by),
        "{added}"
    );
    assert_eq!(added["currency"], "EUR");
    let (_, page, _) = s.get(&movements, Some(&token)).await;
    assert_eq!(page["items"][0]["created_by"], by, "{page}");

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
    // Each account says whose it is and what the reader may do with it.
    assert_eq!(list["items"][0]["role"], "owner", "{list}");
    assert_eq!(list["items"][0]["owner"], by, "{list}");
    let (_, me_now, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(me_now["accounts"][0]["owner"], by, "{me_now}");

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

/// `DELETE /v1/me`: what the user owned is gone, their token is refused, their kept mail
/// is removed, and the same email signs up afresh; another user is untouched.
async fn delete_me_takes_everything_of_the_user(s: Server) {
    let address = email();
    let (token, _) = s.sign_in(&address).await;
    let (other, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let cash = s.create_account(&token, "Cash", "EUR").await;
    let theirs = s.create_account(&other, "Bank", "EUR").await;
    let writes = [
        (
            format!("/v1/accounts/{bank}/movements"),
            json!({"amount": "10.00", "description": "pay"}),
        ),
        (
            "/v1/transfers".into(),
            json!({"from_account": bank, "to_account": cash, "amount": "2.00", "description": "move"}),
        ),
        (
            "/v1/schedules".into(),
            json!({"account": bank, "amount": "-1.00", "description": "rent", "start": "2026-01-01", "every": "month"}),
        ),
        (
            format!("/v1/accounts/{theirs}/movements"),
            json!({"amount": "3.00", "description": "theirs"}),
        ),
    ];
    for (i, (path, body)) in writes.into_iter().enumerate() {
        let who = if i == 3 { &other } else { &token };
        let (status, answer, _) = s.post(&path, Some(who), body).await;
        assert_eq!(status, StatusCode::CREATED, "{path}: {answer}");
    }
    let (status, _, _) = s
        .send(
            Method::PUT,
            "/v1/rates/EUR/USD/2026-01-01",
            Some(&token),
            Some(json!({"rate": "1.1"})),
        )
        .await;
    assert!(status.is_success());
    let (status, _, _) = s
        .send(
            Method::PUT,
            "/v1/budgets/food",
            Some(&token),
            Some(json!({"amount": "100", "currency": "EUR"})),
        )
        .await;
    assert!(status.is_success());

    let (status, body, _) = s.send(Method::DELETE, "/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the token is refused");
    let (status, _, _) = s.send(Method::DELETE, "/v1/me", Some(&token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    if let Inbox::Outbox(dir) = &s.inbox {
        let kept = std::fs::read_dir(dir)
            .expect("outbox")
            .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
            .filter(|m| m.contains(&format!("To: {address}")))
            .count();
        assert_eq!(kept, 0, "no mail to the deleted user is kept");
    }

    let (again, _) = s.sign_in(&address).await;
    let (_, me, _) = s.get("/v1/me", Some(&again)).await;
    assert_eq!(me["accounts"], json!([]), "{me}");
    let (_, rates, _) = s.get("/v1/rates", Some(&again)).await;
    assert_eq!(rates["items"], json!([]), "{rates}");
    let (_, budgets, _) = s.get("/v1/budgets", Some(&again)).await;
    assert_eq!(budgets["items"], json!([]), "{budgets}");
    let (_, schedules, _) = s.get("/v1/schedules", Some(&again)).await;
    assert_eq!(schedules["items"], json!([]), "{schedules}");
    let (status, _, _) = s.get(&format!("/v1/accounts/{bank}"), Some(&again)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, theirs_now, _) = s.get(&format!("/v1/accounts/{theirs}"), Some(&other)).await;
    assert_eq!(theirs_now["balance"], "3.00", "{theirs_now}");
}

on_backends!(
    delete_me_takes_everything_of_the_user,
    list_rename_archive_delete,
    another_users_account_is_not_found
);
