//! Sharing seen from two browsers: the owner invites, the second user accepts in their own
//! session and sees the account with only the controls their role allows; a lost role
//! shows on the next page; signing out everywhere and removing the account end sessions.

use crate::driver::Driver;
use crate::flow::{rows, sign_in};
use crate::server::{Server, email};

pub async fn two_browsers(s: &Server, d: &Driver) {
    let owner = d.browser(1280, 900).await;
    let ann = email();
    sign_in(&owner, s, &ann).await;
    owner.fill("#account-name", "Household").await;
    owner
        .submit("form[action='/accounts'] button[type=submit]")
        .await;
    let account_url = owner.current_url().await;
    let account_id = account_url.rsplit('/').next().unwrap().to_string();
    owner.fill("#amount", "-42.10").await;
    owner.fill("#description", "Groceries").await;
    owner
        .submit("form[action$='/movements'] button[type=submit]")
        .await;
    owner.find("table.movements").await;

    // The owner invites Bob as a viewer from the sharing page.
    let bob = email();
    owner.goto(&s.url("/sharing")).await;
    owner.fill(&format!("#invite-{account_id}"), &bob).await;
    owner
        .select(&format!("#invite-role-{account_id}"), "viewer")
        .await;
    owner
        .submit(&format!(
            "#account-{account_id} form[action$='/members'] button"
        ))
        .await;
    owner.find(&format!("#account-{account_id}")).await;
    assert!(
        owner
            .text(&format!("#account-{account_id}"))
            .await
            .contains(&bob)
    );

    // Bob, in a narrow browser of his own, accepts and sees the account read-only.
    let viewer = d.browser(375, 800).await;
    sign_in(&viewer, s, &bob).await;
    assert!(viewer.text("main").await.contains("invitation"));
    viewer.goto(&s.url("/sharing")).await;
    assert!(viewer.text("main").await.contains("Household"));
    viewer.submit("form[action$='/accept'] button").await;
    assert_eq!(viewer.text("h1").await, "Household");
    let seen = rows(&viewer).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].amount, "-42.10");
    for control in [
        "form[action$='/movements']",
        "form[action$='/import']",
        "td.actions",
    ] {
        assert_eq!(viewer.count(control).await, 0, "a viewer gets no {control}");
    }
    assert!(viewer.text(".summary").await.contains("viewer"));
    viewer.goto(&s.url("/sharing")).await;
    assert_eq!(
        viewer.count("form[action$='/members']").await,
        0,
        "no owner controls"
    );

    // Promoted to editor: Bob may add, still not manage members.
    let bob_id = bob_id(s, &ann, &account_id, &bob).await;
    owner.goto(&s.url("/sharing")).await;
    owner
        .select(&format!("#role-{account_id}-{bob_id}"), "editor")
        .await;
    owner
        .submit(&format!("form[action$='/members/{bob_id}/role'] button"))
        .await;
    owner.find("h1").await;
    viewer.goto(&account_url).await;
    viewer.fill("#amount", "-7").await;
    viewer.fill("#description", "Bread by Bob").await;
    viewer
        .submit("form[action$='/movements'] button[type=submit]")
        .await;
    viewer.find("table.movements").await;
    assert_eq!(rows(&viewer).await.len(), 2);
    viewer.goto(&s.url("/sharing")).await;
    assert_eq!(
        viewer.count("form[action$='/members']").await,
        0,
        "an editor invites no one"
    );
    assert_eq!(
        viewer.count("form[action$='/role']").await,
        0,
        "an editor changes no roles"
    );
    owner.goto(&account_url).await;
    assert!(
        owner.text("main").await.contains("Bread by Bob"),
        "the owner sees Bob's movement"
    );

    // Signing out everywhere ends Bob's browser session and his API token alike.
    let (token, _) = s.sign_in(&bob).await;
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, 200);
    viewer.goto(&s.url("/settings")).await;
    viewer
        .submit("form[action='/signout/everywhere'] button")
        .await;
    assert!(viewer.current_url().await.ends_with("/signin"));
    let (status, _, _) = s.get("/v1/me", Some(&token)).await;
    assert_eq!(status, 401, "signing out everywhere revoked the token too");

    // Removing the user ends the session of the browser still signed in.
    let second = d.browser(1280, 900).await;
    sign_in(&second, s, &bob).await;
    let (token, _) = s.sign_in(&bob).await;
    let (status, _, _) = s
        .send(reqwest::Method::DELETE, "/v1/me", Some(&token), None)
        .await;
    assert_eq!(status, 204);
    second.goto(&s.url("/settings")).await;
    assert!(
        second.current_url().await.ends_with("/signin"),
        "a removed user's session is over"
    );
    second.close().await;
    viewer.close().await;
    owner.close().await;
}

/// Bob's user id, read from the members list through the API.
async fn bob_id(s: &Server, owner: &str, account: &str, bob: &str) -> String {
    let (token, _) = s.sign_in(owner).await;
    let (_, members, _) = s
        .get(&format!("/v1/accounts/{account}/members"), Some(&token))
        .await;
    members["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == bob)
        .and_then(|m| m["user_id"].as_str())
        .expect("bob is a member")
        .to_string()
}
