//! Journal imports cut at random moments: each is whole (both its accounts, every
//! movement, the transfer, the reconciliation, balances the sums of their movements) or
//! absent, and no connection is left inside a transaction.

use std::time::Duration;

use super::server::{email, eventually};
use super::{count, no_connection_left_in_a_transaction, postgres_server, random_byte};

/// A journal of accounts `Bank {i}` and `Cash {i}`: 200 movements, a transfer and a
/// balance assertion.
fn journal(i: u32) -> String {
    let mut text = String::new();
    for day in 0..200 {
        text.push_str(&format!(
            "2026-01-{:02} Shop {day}\n    assets:Bank {i}  -1.00 EUR\n    expenses:food\n\n",
            day % 28 + 1
        ));
    }
    text.push_str(&format!(
        "2026-02-01 Cash\n    assets:Cash {i}  20 EUR\n    assets:Bank {i}  -20 EUR = -220 EUR\n"
    ));
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_up_journal_imports_are_all_or_nothing_on_postgres() {
    let Some((s, schema, admin)) = postgres_server().await else {
        return;
    };
    let (token, _) = s.sign_in(&email()).await;
    for i in 0..20 {
        // 0 to 3 ms: before the body is read, while it is, and while it is written.
        let wait = Duration::from_micros(u64::from(random_byte()) * 12);
        let http = reqwest::Client::builder()
            .timeout(wait)
            .build()
            .expect("client");
        let _ = http
            .post(s.url("/v1/imports/journal"))
            .bearer_auth(&token)
            .body(journal(i))
            .send()
            .await;
    }
    let whole = [
        // Both accounts of an import or neither.
        "SELECT count(*) FROM {s}.accounts b WHERE b.name LIKE 'Bank %' AND NOT EXISTS \
         (SELECT 1 FROM {s}.accounts c WHERE c.name = 'Cash ' || substr(b.name, 6))",
        "SELECT count(*) FROM {s}.accounts c WHERE c.name LIKE 'Cash %' AND NOT EXISTS \
         (SELECT 1 FROM {s}.accounts b WHERE b.name = 'Bank ' || substr(c.name, 6))",
        // Every movement with its account, every balance the sum of its movements.
        "SELECT count(*) FROM {s}.accounts a WHERE a.balance <> \
         (SELECT coalesce(sum(m.amount), 0) FROM {s}.movements m WHERE m.account_id = a.id)",
        "SELECT count(*) FROM {s}.accounts a WHERE a.name LIKE 'Bank %' AND \
         (SELECT count(*) FROM {s}.movements m WHERE m.account_id = a.id) <> 201",
        // The reconciliation with its account's lock.
        "SELECT count(*) FROM {s}.accounts a WHERE a.name LIKE 'Bank %' AND \
         (a.reconciled_on IS NULL OR NOT EXISTS \
         (SELECT 1 FROM {s}.reconciliations r WHERE r.account_id = a.id))",
        // Each account with its owner.
        "SELECT count(*) FROM {s}.accounts a WHERE NOT EXISTS \
         (SELECT 1 FROM {s}.account_members am WHERE am.account_id = a.id)",
    ];
    let (admin_ref, schema_ref) = (&admin, schema.as_str());
    let consistent = || async move {
        for sql in whole {
            if count(admin_ref, schema_ref, sql).await != 0 {
                return false;
            }
        }
        true
    };
    eventually("each import whole or absent", consistent).await;
    // One not cut lands whole, beside whatever the cut ones left (some of which may still
    // be finishing: each commits whole, so the checks hold at every moment).
    let res = s
        .http
        .post(s.url("/v1/imports/journal"))
        .bearer_auth(&token)
        .body(journal(99))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    let landed = "SELECT count(*) FROM {s}.accounts WHERE name IN ('Bank 99', 'Cash 99')";
    assert_eq!(count(&admin, &schema, landed).await, 2);
    eventually("each import whole or absent", consistent).await;
    no_connection_left_in_a_transaction(&admin, &schema).await;
}
