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
