//! Webhooks across servers on one Postgres: each event is claimed by one server at a
//! time, so none is delivered twice to a receiver that answers in time, and a server that
//! dies holding a claim loses it to another when its lease runs out.

use std::collections::HashMap;

use serde_json::json;

use super::receiver::{Answer, Receiver};
use super::server::{Backend, Server, email, str};
use super::{ALLOW, add_hook, add_movement, deliveries_when};

/// Another server on `a`'s database and key file, started as `start` does.
async fn twin(a: &Server, process: bool) -> Server {
    let key = a.data_dir().join("token.key").display().to_string();
    let url = a.env("FINANCE_DATABASE_URL").expect("url").to_string();
    let extra = [
        ("FINANCE_DATABASE_URL", url.as_str()),
        ("FINANCE_TOKEN_KEY_FILE", key.as_str()),
        ALLOW[0],
    ];
    let started = if process {
        Server::start_process(Backend::Postgres, &extra).await
    } else {
        Server::start_alone(Backend::Postgres, &extra).await
    };
    started.expect("second server")
}

#[tokio::test]
async fn a_killed_servers_claim_is_delivered_by_another() {
    let Some(mut a) = Server::start_process(Backend::Postgres, &ALLOW).await else {
        return;
    };
    // The first request never gets its answer: the server holding it is killed meanwhile.
    let rx = Receiver::start(&[Answer::Hang]).await;
    let (token, _) = a.sign_in(&email()).await;
    let account = a.create_account(&token, "Bank", "EUR").await;
    let (hook, _) = add_hook(&a, &token, &rx.url, json!(["movement.created"])).await;
    let movement = add_movement(&a, &token, &account, "-4.00", "food").await;
    let first = rx.wait_for(1, 30).await;
    a.kill();
    // Only now does another server start: the claim is a's, until its lease runs out.
    let b = twin(&a, false).await;
    let got = rx.wait_for(2, 90).await;
    assert_eq!(got[1].json["id"], first[0].json["id"]);
    assert_eq!(got[1].json["data"]["id"], movement.as_str());
    let items = deliveries_when(&b, &token, &hook, |items| {
        items.first().is_some_and(|d| d["state"] == "delivered")
    })
    .await;
    // The killed server recorded nothing; the one attempt on record is b's.
    assert_eq!(
        items[0]["attempts"].as_array().map(Vec::len),
        Some(1),
        "{items:#?}"
    );
}

#[tokio::test]
async fn no_event_is_delivered_twice_by_three_servers() {
    let Some(a) = Server::start_alone(Backend::Postgres, &ALLOW).await else {
        return;
    };
    let b = twin(&a, false).await;
    let c = twin(&a, false).await;
    let rx = Receiver::start(&[]).await;
    let (token, _) = a.sign_in(&email()).await;
    let account = a.create_account(&token, "Bank", "EUR").await;
    add_hook(&a, &token, &rx.url, json!(["movement.created"])).await;
    let per_server = 20;
    let mut writers = Vec::new();
    for s in [&a, &b, &c] {
        let (base, token, account) = (s.base.clone(), token.clone(), account.clone());
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut ids = Vec::new();
            for i in 0..per_server {
                let res = http
                    .post(format!("{base}/v1/accounts/{account}/movements"))
                    .bearer_auth(&token)
                    .json(&json!({"amount": format!("-{i}.01"), "description": "x"}))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(res.status(), reqwest::StatusCode::CREATED);
                let body: serde_json::Value = res.json().await.expect("json");
                ids.push(str(&body["id"]));
            }
            ids
        }));
    }
    let mut written = Vec::new();
    for w in writers {
        written.extend(w.await.expect("writer"));
    }
    let got = rx.wait_for(written.len(), 60).await;
    // Time for a second delivery of anything to show.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let got = rx.received().len().max(got.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in rx.received() {
        *seen.entry(str(&r.json["data"]["id"])).or_default() += 1;
    }
    assert_eq!(got, written.len(), "deliveries: {seen:?}");
    for id in &written {
        assert_eq!(seen.get(id), Some(&1), "{id}");
    }
}

/// An endpoint that has failed for 24 hours with no success between is disabled, its
/// pending deliveries fail, and its owner is mailed. (The day is shortened in the
/// database: the test sets when it started failing.)
#[tokio::test]
async fn a_day_of_failures_disables_the_webhook_and_mails_its_owner() {
    let Some(s) = Server::start_alone(Backend::Postgres, &ALLOW).await else {
        return;
    };
    let rx = Receiver::start(&[Answer::Status(500); 20]).await;
    let address = email();
    let (token, _) = s.sign_in(&address).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    let (hook, _) = add_hook(&s, &token, &rx.url, json!(["movement.created"])).await;
    add_movement(&s, &token, &account, "-4.00", "food").await;
    rx.wait_for(1, 30).await;
    deliveries_when(&s, &token, &hook, |items| {
        items
            .first()
            .is_some_and(|d| d["attempts"].as_array().is_some_and(|a| !a.is_empty()))
    })
    .await;
    let db = sqlx::PgPool::connect(s.env("FINANCE_DATABASE_URL").expect("url"))
        .await
        .expect("the server's database");
    let id = uuid::Uuid::parse_str(&hook).expect("id");
    sqlx::query("UPDATE webhooks SET failing_since = now() - interval '25 hours' WHERE id = $1")
        .bind(id)
        .execute(&db)
        .await
        .expect("failing for a day");
    sqlx::query("UPDATE webhook_deliveries SET next_at = now() WHERE webhook_id = $1")
        .bind(id)
        .execute(&db)
        .await
        .expect("due now");
    let items = deliveries_when(&s, &token, &hook, |items| {
        items.first().is_some_and(|d| d["state"] == "failed")
    })
    .await;
    assert_eq!(
        items[0]["attempts"].as_array().map(Vec::len),
        Some(2),
        "{items:#?}"
    );
    let (_, list, _) = s.get("/v1/webhooks", Some(&token)).await;
    assert_eq!(list["items"][0]["status"], "disabled", "{list}");
    let mails = s.inbox.mails_to(&address);
    assert!(
        mails.iter().any(|m| m.contains("webhook was disabled")),
        "{mails:?}"
    );
    // Disabled: a new change is not queued for it.
    add_movement(&s, &token, &account, "-5.00", "food").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let (_, after, _) = s
        .get(&format!("/v1/webhooks/{hook}/deliveries"), Some(&token))
        .await;
    assert_eq!(after["items"].as_array().map(Vec::len), Some(1), "{after}");
    assert_eq!(rx.received().len(), 2);
}
