//! The web app's forms cut at random moments: adding, editing and deleting movements and
//! making transfers through the pages' posts, each client hanging up 0 to 3 ms in. After
//! them every balance is the sum of its movements, every transfer has its two legs, every
//! movement its one history entry and its rows in the change feed, and no connection is
//! left inside a transaction.

use std::time::Duration;

use super::server::{email, eventually};
use super::{count, no_connection_left_in_a_transaction, postgres_server, random_byte};

/// Posts the form `fields` to the page path `path` in the session `token`, hanging up
/// 0 to 3 ms in.
async fn cut_form(s: &super::server::Server, path: &str, token: &str, fields: &[(&str, String)]) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_micros(u64::from(random_byte()) * 12))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let _ = http
        .post(s.url(path))
        .header("cookie", format!("finance_session={token}"))
        .form(fields)
        .send()
        .await;
}

/// The CSRF token of the session: the one in its pages' forms.
async fn csrf(s: &super::server::Server, token: &str) -> String {
    let page = s
        .http
        .get(s.url("/"))
        .header("cookie", format!("finance_session={token}"))
        .send()
        .await
        .expect("overview")
        .text()
        .await
        .expect("page");
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[at..at + 32].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_up_forms_leave_nothing_half_done_on_postgres() {
    let Some((s, schema, admin)) = postgres_server().await else {
        return;
    };
    let (token, _) = s.sign_in(&email()).await;
    let csrf = csrf(&s, &token).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let savings = s.create_account(&token, "Savings", "EUR").await;
    for i in 0..30 {
        let fields = [
            ("csrf", csrf.clone()),
            ("amount", "-1.50".into()),
            ("description", format!("coffee {i}")),
            ("category", "food".into()),
            ("idempotency_key", format!("web-cut-{i}")),
        ];
        cut_form(&s, &format!("/accounts/{bank}/movements"), &token, &fields).await;
        let transfer = [
            ("csrf", csrf.clone()),
            ("to_account", savings.clone()),
            ("amount", "2".into()),
            ("description", format!("save {i}")),
        ];
        cut_form(
            &s,
            &format!("/accounts/{bank}/transfers"),
            &token,
            &transfer,
        )
        .await;
    }
    // Edits and deletes of what was written, with each movement's ETag.
    for m in s.all_movements(&token, &bank).await.into_iter().take(20) {
        if m["transfer_id"].is_string() {
            continue;
        }
        let (_, _, headers) = s
            .get(
                &format!(
                    "/v1/accounts/{bank}/movements/{}",
                    m["id"].as_str().unwrap()
                ),
                Some(&token),
            )
            .await;
        let etag = headers["etag"].to_str().unwrap().to_string();
        let id = m["id"].as_str().unwrap();
        if random_byte().is_multiple_of(2) {
            let fields = [
                ("csrf", csrf.clone()),
                ("etag", etag),
                ("amount", "-3".into()),
                ("description", "edited".into()),
                (
                    "occurred_on",
                    m["occurred_on"].as_str().unwrap().to_string(),
                ),
            ];
            cut_form(
                &s,
                &format!("/accounts/{bank}/movements/{id}"),
                &token,
                &fields,
            )
            .await;
        } else {
            let fields = [("csrf", csrf.clone()), ("etag", etag)];
            cut_form(
                &s,
                &format!("/accounts/{bank}/movements/{id}/delete"),
                &token,
                &fields,
            )
            .await;
        }
    }
    let whole = [
        "SELECT count(*) FROM {s}.accounts a WHERE a.balance <> \
         (SELECT coalesce(sum(m.amount), 0) FROM {s}.movements m WHERE m.account_id = a.id)",
        "SELECT count(*) FROM {s}.transfers t WHERE (SELECT count(*) FROM {s}.movements m \
         WHERE m.transfer_id = t.id) <> 2",
        "SELECT count(*) FROM {s}.movements m WHERE (SELECT count(*) FROM {s}.history h \
         WHERE h.entity_id = m.id AND h.action = 'created') <> 1 AND m.transfer_id IS NULL",
        // The change feed's rows are written with their change: every movement (a
        // transfer's leg too) has one, and each names a movement that is there or whose
        // deletion is recorded.
        "SELECT count(*) FROM {s}.movements m WHERE NOT EXISTS (SELECT 1 FROM {s}.changes c \
         WHERE c.entity = 'movement' AND c.entity_id = m.id::text)",
        "SELECT count(*) FROM {s}.changes c WHERE c.entity = 'movement' AND NOT EXISTS \
         (SELECT 1 FROM {s}.movements m WHERE m.id::text = c.entity_id) AND NOT EXISTS \
         (SELECT 1 FROM {s}.history h WHERE h.entity_id::text = c.entity_id \
          AND h.action = 'deleted')",
    ];
    let (admin_ref, schema_ref) = (&admin, schema.as_str());
    eventually("every form all or nothing", || async move {
        for sql in whole {
            if count(admin_ref, schema_ref, sql).await != 0 {
                return false;
            }
        }
        true
    })
    .await;
    no_connection_left_in_a_transaction(&admin, &schema).await;
    let written = count(&admin, &schema, "SELECT count(*) FROM {s}.movements").await;
    assert!(written > 0, "some forms were written before the hang-up");
}
