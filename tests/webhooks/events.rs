//! Events of shared accounts and imports: each member's webhooks hear of the account's
//! changes (one event, one id, whichever of them listens), a new member is
//! `member.added`, an import is one `import.completed` with its counts.

use reqwest::StatusCode;
use serde_json::json;

use super::receiver::Receiver;
use super::server::{Backend, Server, email, read};
use super::{ALLOW, add_hook, add_movement};

pub(super) async fn members_hear_of_their_shared_accounts(backend: Backend) {
    let Some(s) = Server::start_alone(backend, &ALLOW).await else {
        return;
    };
    let (alice_rx, bob_rx) = (Receiver::start(&[]).await, Receiver::start(&[]).await);
    let (alice, _) = s.sign_in(&email()).await;
    let account = s.create_account(&alice, "Household", "EUR").await;
    add_hook(
        &s,
        &alice,
        &alice_rx.url,
        json!(["member.added", "movement.created", "import.completed"]),
    )
    .await;
    let (bob, bob_id) = s.new_member(&alice, &account, "editor").await;
    let joined = alice_rx.wait_for(1, 30).await;
    assert_eq!(joined[0].json["type"], "member.added", "{joined:?}");
    assert_eq!(joined[0].json["data"]["user_id"], bob_id.as_str());
    assert_eq!(joined[0].json["data"]["account_id"], account.as_str());

    add_hook(&s, &bob, &bob_rx.url, json!(["movement.created"])).await;
    let movement = add_movement(&s, &bob, &account, "-8.00", "food").await;
    let to_alice = alice_rx.wait_for(2, 30).await;
    let to_bob = bob_rx.wait_for(1, 30).await;
    assert_eq!(to_alice[1].json["data"]["id"], movement.as_str());
    assert_eq!(to_bob[0].json["data"]["id"], movement.as_str());
    // One event, told to each member's webhook under the same id.
    assert_eq!(to_alice[1].json["id"], to_bob[0].json["id"]);

    // An import is one event with its counts, not one per movement.
    let csv = "date,amount,description\n2026-11-03,-1.00,a\n2026-11-04,-2.00,b\n";
    let req = s
        .http
        .post(s.url(&format!("/v1/accounts/{account}/imports")))
        .bearer_auth(&alice)
        .header("content-type", "text/csv")
        .body(csv);
    let (status, done, _) = read(req.send().await.expect("request")).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    let got = alice_rx.wait_for(3, 30).await;
    let import = &got[2].json;
    assert_eq!(import["type"], "import.completed", "{got:?}");
    assert_eq!(import["data"]["added"], 2);
    assert_eq!(import["data"]["account_id"], account.as_str());
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(alice_rx.received().len(), 3, "{:?}", alice_rx.received());
    assert_eq!(
        bob_rx.received().len(),
        1,
        "bob listens to movement.created only"
    );
}
