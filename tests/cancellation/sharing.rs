//! Sharing's writes cut at random moments: an invitation, its acceptance and a hand-over
//! are each all or nothing.

use reqwest::Method;
use serde_json::json;

use super::server::{email, eventually, str};
use super::{cut, no_connection_left_in_a_transaction, postgres_server};

/// One number per account, read fresh from the database.
async fn per_account(
    admin: &sqlx::PgPool,
    schema: &str,
    sql: &str,
    accounts: &[String],
) -> Vec<i64> {
    let mut found = Vec::new();
    for a in accounts {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.replace("{s}", schema)))
            .bind(a.parse::<uuid::Uuid>().expect("uuid"))
            .fetch_one(admin)
            .await
            .expect("count");
        found.push(n);
    }
    found
}

/// Invitations, acceptances and hand-overs hung up half-way: afterwards each account has
/// at most one pending invitation, an accepted one always with its membership (and never
/// a membership without one), exactly one owner that is the account's `owner_id`; and no
/// connection is left inside a transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_up_sharing_is_all_or_nothing_on_postgres() {
    let Some((s, schema, admin)) = postgres_server().await else {
        return;
    };
    let (ada, _) = s.sign_in(&email()).await;
    let bob_mail = email();
    let (bob, bob_id) = s.sign_in(&bob_mail).await;
    let mut accounts = Vec::new();
    for i in 0..6 {
        accounts.push(s.create_account(&ada, &format!("Shared {i}"), "EUR").await);
    }
    let pending =
        "SELECT count(*) FROM {s}.invitations WHERE account_id = $1 AND status = 'pending'";
    for a in &accounts {
        let invite = json!({"email": bob_mail, "role": "editor"});
        cut(
            &s,
            Method::POST,
            &format!("/v1/accounts/{a}/members"),
            &ada,
            Some(invite),
        )
        .await;
    }
    let (admin_ref, schema_ref, accounts_ref) = (&admin, &schema, &accounts);
    eventually(
        "each invitation stored whole or not at all",
        || async move {
            per_account(admin_ref, schema_ref, pending, accounts_ref)
                .await
                .iter()
                .all(|n| *n <= 1)
        },
    )
    .await;
    // Those cut before they were stored are sent again: 201, or 409 when the cut one
    // (its work still finishing) got there first. Then each account has one.
    for (a, n) in accounts
        .iter()
        .zip(per_account(&admin, &schema, pending, &accounts).await)
    {
        if n == 0 {
            let (status, body, _) = s
                .post(
                    &format!("/v1/accounts/{a}/members"),
                    Some(&ada),
                    json!({"email": bob_mail, "role": "editor"}),
                )
                .await;
            assert!(
                status == reqwest::StatusCode::CREATED
                    || body["type"] == "/problems/already-member",
                "{body}"
            );
        }
    }
    eventually("one pending invitation per account", || async move {
        per_account(admin_ref, schema_ref, pending, accounts_ref)
            .await
            .iter()
            .all(|n| *n == 1)
    })
    .await;
    let (_, list, _) = s.get("/v1/invitations", Some(&bob)).await;
    for inv in list["items"].as_array().expect("items") {
        let id = str(&inv["id"]);
        cut(
            &s,
            Method::POST,
            &format!("/v1/invitations/{id}/accept"),
            &bob,
            None,
        )
        .await;
    }
    let joined = format!(
        "SELECT (SELECT count(*) FROM {{s}}.account_members WHERE account_id = $1 \
         AND user_id = '{bob_id}') * 10 + (SELECT count(*) FROM {{s}}.invitations \
         WHERE account_id = $1 AND status = 'accepted')"
    );
    let joined_ref = joined.as_str();
    // Accepting again answers the same, whether the cut one got there or not.
    for inv in list["items"].as_array().expect("items") {
        let id = str(&inv["id"]);
        let (status, body, _) = s
            .post(
                &format!("/v1/invitations/{id}/accept"),
                Some(&bob),
                json!({}),
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    }
    eventually(
        "each acceptance whole: a membership with its accepted invitation",
        || async move {
            // 0: not yet; 11: joined; anything else is half-way.
            let states = per_account(admin_ref, schema_ref, joined_ref, accounts_ref).await;
            assert!(
                states.iter().all(|n| [0, 11].contains(n)),
                "half-way: {states:?}"
            );
            states.iter().all(|n| *n == 11)
        },
    )
    .await;
    for a in &accounts {
        let body = json!({"role": "owner"});
        cut(
            &s,
            Method::PATCH,
            &format!("/v1/accounts/{a}/members/{bob_id}"),
            &ada,
            Some(body),
        )
        .await;
    }
    let owners = "SELECT count(*) FROM {s}.account_members m JOIN {s}.accounts a \
                  ON a.id = m.account_id WHERE m.account_id = $1 AND m.role = 'owner' \
                  AND m.user_id = a.owner_id";
    let all_owners =
        "SELECT count(*) FROM {s}.account_members WHERE account_id = $1 AND role = 'owner'";
    let check = || async move {
        let matched = per_account(admin_ref, schema_ref, owners, accounts_ref).await;
        let all = per_account(admin_ref, schema_ref, all_owners, accounts_ref).await;
        assert!(all.iter().all(|n| *n == 1), "owners per account: {all:?}");
        assert!(
            matched.iter().all(|n| *n == 1),
            "owner rows vs owner_id: {matched:?}"
        );
    };
    check().await;
    // Handing over again: 200, or 403 once the cut one made Ada an editor.
    for a in &accounts {
        let (status, body, _) = s
            .send(
                Method::PATCH,
                &format!("/v1/accounts/{a}/members/{bob_id}"),
                Some(&ada),
                Some(json!({"role": "owner"})),
            )
            .await;
        assert!(
            status == reqwest::StatusCode::OK || status == reqwest::StatusCode::FORBIDDEN,
            "{status} {body}"
        );
    }
    let bob_owns =
        format!("SELECT count(*) FROM {{s}}.accounts WHERE id = $1 AND owner_id = '{bob_id}'");
    let bob_owns_ref = bob_owns.as_str();
    eventually("every account handed over, whole", || async move {
        check().await;
        per_account(admin_ref, schema_ref, bob_owns_ref, accounts_ref)
            .await
            .iter()
            .all(|n| *n == 1)
    })
    .await;
    no_connection_left_in_a_transaction(&admin, &schema).await;
    admin.close().await;
}
