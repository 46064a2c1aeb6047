//! The sharing story as two people live it, and a member removed while they write.

use std::sync::Arc;
use std::time::Instant;

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::server::{Backend, Server, email, on_backends, str};

/// Invited before signing up, joined, writing, handing over, leaving.
async fn two_people_share_an_account(s: Server) {
    let (ada_mail, bob_mail, cyd_mail) = (email(), email(), email());
    let (ada, ada_id) = s.sign_in(&ada_mail).await;
    let joint = s.create_account(&ada, "Joint", "EUR").await;
    let movements = format!("/v1/accounts/{joint}/movements");
    let (status, _, _) = s
        .post(
            &movements,
            Some(&ada),
            json!({"amount": "-10.00", "description": "Rent", "category": "home"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // Bob has no user yet: the invitation waits for his email.
    let members = format!("/v1/accounts/{joint}/members");
    let (status, invited, _) = s
        .post(
            &members,
            Some(&ada),
            json!({"email": bob_mail, "role": "editor"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    assert_eq!(invited["user_id"], json!(null), "{invited}");
    assert_eq!(
        (&invited["status"], &invited["role"]),
        (&json!("invited"), &json!("editor"))
    );
    assert!(invited["expires_at"].is_string(), "{invited}");
    let mail = s.inbox.mails_to(&bob_mail).join("\n");
    assert!(mail.contains("Joint") && mail.contains(&ada_mail), "{mail}");
    let (status, again, _) = s
        .post(
            &members,
            Some(&ada),
            json!({"email": bob_mail, "role": "viewer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["type"], "/problems/already-member");
    // A retry with an Idempotency-Key answers the first invitation (and mails once).
    let dan = email();
    for replayed in [false, true] {
        let res = s
            .http
            .post(s.url(&members))
            .bearer_auth(&ada)
            .header("idempotency-key", "invite-dan")
            .json(&json!({"email": dan, "role": "viewer"}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.headers().contains_key("idempotency-replayed"), replayed);
    }
    assert_eq!(s.inbox.mails_to(&dan).len(), 1);

    let (bob, bob_id) = s.sign_in(&bob_mail).await;
    let (_, list, _) = s.get("/v1/invitations", Some(&bob)).await;
    let invitation = &list["items"][0];
    assert_eq!(
        invitation["account"],
        json!({"id": joint, "name": "Joint", "currency": "EUR"})
    );
    assert_eq!(
        invitation["invited_by"],
        json!({"id": ada_id, "email": ada_mail})
    );
    assert_eq!(invitation["role"], "editor");
    let (status, _, _) = s.get(&format!("/v1/accounts/{joint}"), Some(&bob)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "not a member before accepting"
    );
    let accept = format!("/v1/invitations/{}/accept", str(&invitation["id"]));
    for _ in 0..2 {
        // A retry answers the same.
        let (status, account, _) = s.post(&accept, Some(&bob), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{account}");
        assert_eq!(account["role"], "editor");
        assert_eq!(account["owner"], json!({"id": ada_id, "email": ada_mail}));
    }

    // Everything Bob sees counts the shared account.
    let (_, me, _) = s.get("/v1/me", Some(&bob)).await;
    assert_eq!(me["accounts"][0]["id"], joint.as_str(), "{me}");
    assert_eq!(me["totals"][0]["balance"], "-10.00", "{me}");
    let (_, all, _) = s.get("/v1/movements", Some(&bob)).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(1), "{all}");
    let (_, categories, _) = s.get("/v1/categories", Some(&bob)).await;
    assert!(categories.to_string().contains("home"), "{categories}");
    let (status, written, _) = s
        .post(
            &movements,
            Some(&bob),
            json!({"amount": "-2.50", "description": "Bread"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{written}");
    let (_, page, _) = s.get(&movements, Some(&ada)).await;
    assert_eq!(
        page["items"][0]["created_by"],
        json!({"id": bob_id, "email": bob_mail}),
        "{page}"
    );

    // An editor does not manage the account.
    let (status, refused, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{joint}"),
            Some(&bob),
            Some(json!({"name": "Mine"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["type"], "/problems/forbidden");

    // Cyd declines; she sees nothing.
    let (cyd, _) = s.sign_in(&cyd_mail).await;
    let inv = s.invite(&ada, &joint, &cyd_mail, "viewer", &cyd).await;
    let (status, _, _) = s
        .post(
            &format!("/v1/invitations/{inv}/decline"),
            Some(&cyd),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list, _) = s.get("/v1/invitations", Some(&cyd)).await;
    assert_eq!(list["items"], json!([]));
    let (status, _, _) = s.get(&format!("/v1/accounts/{joint}"), Some(&cyd)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, listed, _) = s.get(&members, Some(&bob)).await;
    let items = listed["items"].as_array().expect("items");
    assert_eq!(
        items[..2],
        [
            json!({"user_id": ada_id, "email": ada_mail, "role": "owner", "status": "active"}),
            json!({"user_id": bob_id, "email": bob_mail, "role": "editor", "status": "active"}),
        ]
    );
    assert_eq!(
        (&items[2]["email"], &items[2]["status"]),
        (&json!(dan), &json!("invited"))
    );
    assert_eq!(items.len(), 3, "{listed}");

    // The owner neither leaves nor goes while others share the account.
    let (status, refused, _) = s
        .send(
            Method::DELETE,
            &format!("{members}/{ada_id}"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["type"], "/problems/owner-must-hand-over");
    let (status, refused, _) = s.send(Method::DELETE, "/v1/me", Some(&ada), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["type"], "/problems/account-shared");

    // Handing over: Bob owns it, Ada edits, then leaves.
    let (status, member, _) = s
        .send(
            Method::PATCH,
            &format!("{members}/{bob_id}"),
            Some(&ada),
            Some(json!({"role": "owner"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    assert_eq!(member["role"], "owner");
    let (_, seen, _) = s.get(&format!("/v1/accounts/{joint}"), Some(&ada)).await;
    assert_eq!(seen["role"], "editor", "{seen}");
    assert_eq!(seen["owner"]["id"], bob_id.as_str());
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("{members}/{ada_id}"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.get(&format!("/v1/accounts/{joint}"), Some(&ada)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "gone on her next request");
    let (_, me, _) = s.get("/v1/me", Some(&ada)).await;
    assert_eq!(me["accounts"], json!([]), "{me}");
    assert_eq!(s.balance(&bob, &joint).await, "-12.50");

    // Alone again, Bob may leave for good, and the account goes with him.
    let (status, _, _) = s.send(Method::DELETE, "/v1/me", Some(&bob), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, me, _) = s.get("/v1/me", Some(&ada)).await;
    assert_eq!(me["accounts"], json!([]));
}

/// The owner removes a member while four of the member's writers run: every movement
/// answered 201 is in the account, every write sent after the removal answered is 404,
/// and the balance is the sum of what was answered 201.
async fn a_removed_member_writes_nothing_after(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let joint = s.create_account(&ada, "Joint", "EUR").await;
    let (bob, bob_id) = s.new_member(&ada, &joint, "editor").await;
    let s = Arc::new(s);
    let path = format!("/v1/accounts/{joint}/movements");
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (s, bob, path) = (s.clone(), bob.clone(), path.clone());
        writers.push(tokio::spawn(async move {
            // Until a few writes after the first refusal (or 300 writes).
            let mut answers = Vec::new();
            let mut after_refusal = 0;
            while answers.len() < 300 && after_refusal < 3 {
                let sent = Instant::now();
                let (status, body, _) = s
                    .post(
                        &path,
                        Some(&bob),
                        json!({"amount": "-1.00", "description": "race"}),
                    )
                    .await;
                let id = body["id"].as_str().unwrap_or_default().to_string();
                if status == StatusCode::NOT_FOUND || after_refusal > 0 {
                    after_refusal += 1;
                }
                answers.push((sent, status, id));
            }
            answers
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{joint}/members/{bob_id}"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let removed = Instant::now();
    let mut created = Vec::new();
    for w in writers {
        for (sent, status, id) in w.await.expect("writer") {
            match status {
                StatusCode::CREATED => {
                    assert!(
                        sent < removed,
                        "a write sent after the removal was answered 201"
                    );
                    created.push(id);
                }
                StatusCode::NOT_FOUND => {}
                other => panic!("a writer was answered {other}"),
            }
        }
    }
    assert!(!created.is_empty(), "some writes landed before the removal");
    let stored: Vec<String> = s
        .all_movements(&ada, &joint)
        .await
        .iter()
        .map(|m| str(&m["id"]))
        .collect();
    created.sort();
    let mut sorted = stored.clone();
    sorted.sort();
    assert_eq!(
        sorted, created,
        "exactly the movements answered 201 are there"
    );
    let cents = i64::try_from(created.len()).expect("count") * -100;
    assert_eq!(super::server::cents(&s.balance(&ada, &joint).await), cents);
}

on_backends!(
    two_people_share_an_account,
    a_removed_member_writes_nothing_after
);
