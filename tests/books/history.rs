//! The history of an account: one entry per change, newest first, each with its author and
//! the record before and after as the API writes it; kept when the record is deleted.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::server::{self, Server, email, str};

/// Every entry of the account's history (following the cursors, `limit` at a time).
async fn entries(s: &Server, token: &str, account: &str, filter: &str, limit: u32) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor = String::new();
    loop {
        let path = format!("/v1/accounts/{account}/history?limit={limit}{filter}{cursor}");
        let (status, page, _) = s.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        all.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return all,
        }
    }
}

fn what(e: &Value) -> (String, String) {
    (str(&e["entity"]), str(&e["action"]))
}

pub async fn every_change_is_kept_newest_first(s: Server) {
    let (ada, ada_id) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let (status, m, _) = s
        .post(
            &format!("/v1/accounts/{bank}/movements"),
            Some(&ada),
            json!({"amount": "-12.50", "description": "Lunch", "occurred_on": "2026-11-02"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let id = str(&m["id"]);
    let path = format!("/v1/accounts/{bank}/movements/{id}");
    let (status, edited, _) = s
        .send(
            Method::PATCH,
            &path,
            Some(&ada),
            Some(json!({"amount": "-13", "category": "food"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let (status, _, _) = s.send(Method::DELETE, &path, Some(&ada), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/accounts/{bank}"),
            Some(&ada),
            Some(json!({"name": "Main"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Newest first, one page of two at a time, the same as one page of all.
    let all = entries(&s, &ada, &bank, "", 2).await;
    assert_eq!(all, entries(&s, &ada, &bank, "", 200).await);
    let kinds: Vec<(String, String)> = all.iter().map(what).collect();
    let expected = [
        ("account", "updated"),
        ("movement", "deleted"),
        ("movement", "updated"),
        ("movement", "created"),
        ("account", "created"),
    ];
    assert_eq!(kinds, expected.map(|(e, a)| (e.to_string(), a.to_string())));
    for e in &all {
        assert_eq!(e["by"], json!({"id": ada_id, "email": e["by"]["email"]}));
        assert!(e["by"]["email"].is_string(), "{e}");
        assert!(e["at"].is_string(), "{e}");
    }
    // The record before and after, as the API writes it; the deleted one is kept.
    let changed = &all[2];
    assert_eq!(changed["entity_id"], id);
    assert_eq!(changed["before"]["amount"], "-12.50");
    assert_eq!(changed["after"], edited);
    assert_eq!(all[3]["before"], Value::Null);
    assert_eq!(all[3]["after"]["id"], id);
    assert_eq!(all[1]["after"], Value::Null);
    assert_eq!(all[1]["before"]["category"], "food");
    assert_eq!(all[0]["before"]["name"], "Bank");
    assert_eq!(all[0]["after"]["name"], "Main");

    // Filtered to the movement: its three changes.
    let own = entries(&s, &ada, &bank, &format!("&entity_id={id}"), 50).await;
    assert_eq!(own.len(), 3);
    assert!(own.iter().all(|e| e["entity_id"] == id));

    // Nothing changes or deletes it.
    let history = format!("/v1/accounts/{bank}/history");
    for method in [Method::POST, Method::DELETE, Method::PATCH, Method::PUT] {
        let (status, _, _) = s.send(method, &history, Some(&ada), Some(json!({}))).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    }
    for bad in ["?cursor=abc", "?limit=0", "?entity_id=nope"] {
        let (status, body, _) = s.get(&format!("{history}{bad}"), Some(&ada)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }

    // The owner deleting the account deletes its history with it.
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{bank}"),
            Some(&ada),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.get(&history, Some(&ada)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

pub async fn an_import_is_one_entry_and_members_read_it(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let (viewer, viewer_id) = s.new_member(&ada, &bank, "viewer").await;
    let rows: String = (1..=300)
        .map(|i| format!("2026-11-{:02},-{i},Row {i}\n", i % 28 + 1))
        .collect();
    let res = s
        .http
        .post(s.url(&format!("/v1/accounts/{bank}/imports")))
        .bearer_auth(&ada)
        .header("content-type", "text/csv")
        .body(format!("date,amount,description\n{rows}"))
        .send()
        .await
        .expect("import");
    let (status, body, _) = server::read(res).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, made, _) = s
        .post(
            &format!("/v1/accounts/{bank}/reconciliations"),
            Some(&ada),
            json!({"date": "2026-11-28", "balance": "-45150"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");

    // The viewer reads it all: the reconciliation, one import entry, their joining.
    let all = entries(&s, &viewer, &bank, "", 50).await;
    let kinds: Vec<(String, String)> = all.iter().map(what).collect();
    let expected = [
        ("reconciliation", "created"),
        ("import", "created"),
        ("member", "updated"),
        ("member", "created"),
        ("account", "created"),
    ];
    assert_eq!(kinds, expected.map(|(e, a)| (e.to_string(), a.to_string())));
    assert_eq!(all[0]["after"], made);
    assert_eq!(all[1]["after"], json!({"added": 300, "duplicates": 0}));
    assert_eq!(all[2]["entity_id"], viewer_id);
    assert_eq!(all[2]["after"]["status"], "active");
    assert_eq!(all[2]["by"]["id"], viewer_id);

    // Leaving is a change too, and the one who left no longer reads the history.
    let (status, _, _) = s
        .send(
            Method::DELETE,
            &format!("/v1/accounts/{bank}/members/{viewer_id}"),
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s
        .get(&format!("/v1/accounts/{bank}/history"), Some(&viewer))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let latest = &entries(&s, &ada, &bank, "", 1).await[0];
    assert_eq!(what(latest), ("member".into(), "deleted".into()));
    assert_eq!(latest["before"]["role"], "viewer");

    // Leaving for good is leaving every account shared with one: said there too, by a
    // user who no longer has an email.
    let (gone, gone_id) = s.new_member(&ada, &bank, "editor").await;
    let (status, _, _) = s.send(Method::DELETE, "/v1/me", Some(&gone), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let latest = &entries(&s, &ada, &bank, "", 1).await[0];
    assert_eq!(what(latest), ("member".into(), "deleted".into()));
    assert_eq!(
        (latest["entity_id"].clone(), latest["by"]["id"].clone()),
        (json!(gone_id), json!(gone_id))
    );
    assert_eq!(latest["by"]["email"], Value::Null);
    assert_eq!(latest["before"]["role"], "editor");
}
