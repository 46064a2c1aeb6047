//! Sign-outs across Postgres servers: each server keeps them in memory, told by the others
//! through notifications, and asks the database whenever it is not listening.

mod support;

use std::time::Duration as StdDuration;

use finance_core::adapters::postgres::PgStore;
use finance_core::domain::UserId;
use finance_core::ports::*;
use time::{Duration, OffsetDateTime};

fn token(user: UserId) -> TokenIdentity {
    let now = OffsetDateTime::now_utc();
    TokenIdentity {
        user,
        id: uuid::Uuid::new_v4().to_string(),
        issued_at: now - Duration::minutes(1),
        expires_at: now + Duration::days(1),
    }
}

/// Two servers on one database, or `None` without `FINANCE_TEST_DATABASE_URL`.
async fn two_servers() -> Option<(PgStore, PgStore)> {
    let url = support::postgres_url().await?;
    let a = PgStore::connect(&url, 4).await.expect("server a");
    let b = PgStore::connect(&url, 4).await.expect("server b");
    Some((a, b))
}

/// Polls `check` for up to five seconds.
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..500 {
        if check().await {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    panic!("never: {what}");
}

/// Whether `store` answers from memory: a row removed behind its back is still refused.
async fn forget_in_database(store: &PgStore, t: &TokenIdentity) {
    sqlx::query("DELETE FROM revoked_tokens WHERE token_id = $1")
        .bind(&t.id)
        .execute(store.pool())
        .await
        .expect("delete");
}

/// Waits until `b` hears what `a` announces: a token signed out on `a` and removed from the
/// database at once can only be refused by a server that was told.
async fn until_listening(a: &PgStore, b: &PgStore) {
    eventually("b listens", async || {
        let probe = token(UserId::random());
        a.revoke_token(&probe).await.expect("sign out");
        forget_in_database(a, &probe).await;
        tokio::time::sleep(StdDuration::from_millis(20)).await;
        b.is_revoked(&probe).await.expect("check")
    })
    .await;
}

#[tokio::test]
async fn a_sign_out_on_one_server_reaches_the_others() {
    let Some((a, b)) = two_servers().await else {
        return;
    };
    until_listening(&a, &b).await;
    until_listening(&b, &a).await;
    let ada = UserId::random();
    let (one, other) = (token(ada), token(ada));
    assert!(!b.is_revoked(&one).await.expect("check"));

    a.revoke_token(&one).await.expect("sign out");
    assert!(
        a.is_revoked(&one).await.expect("check"),
        "at once where it was recorded"
    );
    eventually("b refuses the token", async || {
        b.is_revoked(&one).await.expect("check")
    })
    .await;
    assert!(!b.is_revoked(&other).await.expect("check"));

    // Both learned it in memory: with the row gone they still refuse it.
    forget_in_database(&a, &one).await;
    assert!(a.is_revoked(&one).await.expect("check"));
    assert!(b.is_revoked(&one).await.expect("check"));

    b.revoke_all(ada, OffsetDateTime::now_utc())
        .await
        .expect("everywhere");
    eventually("a refuses every older token", async || {
        a.is_revoked(&other).await.expect("check")
    })
    .await;
}

#[tokio::test]
async fn a_server_that_lost_its_subscription_loads_what_it_missed() {
    let Some((a, b)) = two_servers().await else {
        return;
    };
    until_listening(&a, &b).await;
    let ada = UserId::random();
    let first = token(ada);
    a.revoke_token(&first).await.expect("sign out");
    eventually("b learned the first", async || {
        b.is_revoked(&first).await.expect("check")
    })
    .await;

    // A sign-out recorded behind the servers' backs, with no announcement: memory does
    // not know it...
    let second = token(ada);
    sqlx::query("INSERT INTO revoked_tokens (token_id, expires_at) VALUES ($1, $2)")
        .bind(&second.id)
        .bind(second.expires_at)
        .execute(a.pool())
        .await
        .expect("insert");
    assert!(
        !b.is_revoked(&second).await.expect("check"),
        "answered from memory"
    );

    // ...until the listening connections are cut: then each server asks the database
    // until it listens again, and loads everything when it does.
    // The test's connections are named after its schema, their listeners "<that> sign-outs".
    let listeners = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE application_name = current_setting('application_name') || ' sign-outs'";
    let cut: Vec<bool> = sqlx::query_scalar(listeners)
        .fetch_all(a.pool())
        .await
        .expect("terminate");
    assert_eq!(cut, [true, true], "both servers' listeners");
    eventually("b refuses the second", async || {
        b.is_revoked(&second).await.expect("check")
    })
    .await;
    until_listening(&a, &b).await;
    // Loaded, not asked: with the row gone it is still refused.
    forget_in_database(&a, &second).await;
    assert!(b.is_revoked(&second).await.expect("check"));
    assert!(b.is_revoked(&first).await.expect("check"));
}
