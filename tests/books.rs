//! Reconciling and history over HTTP, on both backends, as DESIGN.md "Reconciling and
//! history" says: a statement's balance compared, recorded and locked; every path that
//! would write on or before the reconciled day refused; the latest reconciliation undone;
//! the balance on any day; and a history of every change that members read.

#[path = "books/history.rs"]
mod history;
#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use history::{an_import_is_one_entry_and_members_read_it, every_change_is_kept_newest_first};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, str};

/// Posts a movement dated `on` and answers the status and body.
async fn add(
    s: &Server,
    token: &str,
    account: &str,
    amount: &str,
    on: &str,
) -> (StatusCode, Value) {
    let body = json!({"amount": amount, "description": format!("on {on}"), "occurred_on": on});
    let (status, m, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(token),
            body,
        )
        .await;
    (status, m)
}

async fn reconcile(
    s: &Server,
    token: &str,
    account: &str,
    date: &str,
    balance: &str,
) -> (StatusCode, Value) {
    let (status, body, _) = s
        .post(
            &format!("/v1/accounts/{account}/reconciliations"),
            Some(token),
            json!({"date": date, "balance": balance}),
        )
        .await;
    (status, body)
}

async fn balance_on(s: &Server, token: &str, account: &str, on: &str) -> String {
    let (status, body, _) = s
        .get(
            &format!("/v1/accounts/{account}/balance?on={on}"),
            Some(token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["date"], on);
    str(&body["balance"])
}

/// Asserts a 409 `/problems/reconciled`.
fn locked(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["type"], "/problems/reconciled", "{body}");
}

async fn a_matching_statement_locks_what_it_covers(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let (_, early) = add(&s, &ada, &bank, "100", "2026-11-01").await;
    add(&s, &ada, &bank, "-20.50", "2026-11-10").await;
    let (_, late) = add(&s, &ada, &bank, "-5", "2026-11-20").await;
    assert_eq!(balance_on(&s, &ada, &bank, "2026-10-31").await, "0.00");
    assert_eq!(balance_on(&s, &ada, &bank, "2026-11-10").await, "79.50");
    assert_eq!(balance_on(&s, &ada, &bank, "2026-11-30").await, "74.50");

    // The bank says 80.00 on the 10th: 0.50 more than the ledger; nothing changes.
    let (status, body) = reconcile(&s, &ada, &bank, "2026-11-10", "80").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["type"], "/problems/unreconciled");
    assert_eq!(body["difference"], "0.50");
    let (_, list, _) = s
        .get(&format!("/v1/accounts/{bank}/reconciliations"), Some(&ada))
        .await;
    assert_eq!(list["items"], json!([]));
    let (status, body) = reconcile(&s, &ada, &bank, "2099-01-01", "74.50").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "date", "{body}");

    let (status, made) = reconcile(&s, &ada, &bank, "2026-11-10", "79.50").await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(
        (
            made["date"].clone(),
            made["balance"].clone(),
            made["locked"].clone()
        ),
        (json!("2026-11-10"), json!("79.50"), json!(2))
    );
    let (_, account, _) = s.get(&format!("/v1/accounts/{bank}"), Some(&ada)).await;
    assert_eq!(account["reconciled_on"], "2026-11-10");
    let movements = s.all_movements(&ada, &bank).await;
    let flags: Vec<bool> = movements.iter().map(|m| m["reconciled"] == true).collect();
    assert_eq!(flags, [false, true, true], "newest first");

    // A reconciled movement neither changes nor goes; nothing new lands on or before.
    let early_id = str(&early["id"]);
    let path = format!("/v1/accounts/{bank}/movements/{early_id}");
    let (status, body, _) = s
        .send(
            Method::PATCH,
            &path,
            Some(&ada),
            Some(json!({"description": "x"})),
        )
        .await;
    locked(status, &body);
    let (status, body, _) = s.send(Method::DELETE, &path, Some(&ada), None).await;
    locked(status, &body);
    let (status, body) = add(&s, &ada, &bank, "1", "2026-11-10").await;
    locked(status, &body);
    let late_path = format!("/v1/accounts/{bank}/movements/{}", str(&late["id"]));
    let back = json!({"occurred_on": "2026-11-09"});
    let (status, body, _) = s
        .send(Method::PATCH, &late_path, Some(&ada), Some(back))
        .await;
    locked(status, &body);
    let (status, body) = add(&s, &ada, &bank, "1", "2026-11-11").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(balance_on(&s, &ada, &bank, "2026-11-10").await, "79.50");

    // Reconciling again on or before the latest date is refused; a later one locks the rest.
    let (status, body) = reconcile(&s, &ada, &bank, "2026-11-05", "100").await;
    locked(status, &body);
    let (status, second) = reconcile(&s, &ada, &bank, "2026-11-30", "75.50").await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["locked"], 2);
    let (_, list, _) = s
        .get(&format!("/v1/accounts/{bank}/reconciliations"), Some(&ada))
        .await;
    let dates: Vec<&Value> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| &r["date"])
        .collect();
    assert_eq!(dates, [&json!("2026-11-30"), &json!("2026-11-10")]);

    // Only the latest may be undone, and undoing it unlocks exactly what it locked.
    let first = format!("/v1/accounts/{bank}/reconciliations/{}", str(&made["id"]));
    let (status, body, _) = s.send(Method::DELETE, &first, Some(&ada), None).await;
    locked(status, &body);
    let latest = format!("/v1/accounts/{bank}/reconciliations/{}", str(&second["id"]));
    let (status, _, _) = s.send(Method::DELETE, &latest, Some(&ada), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.send(Method::DELETE, &latest, Some(&ada), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let flags: Vec<bool> = s
        .all_movements(&ada, &bank)
        .await
        .iter()
        .map(|m| m["reconciled"] == true)
        .collect();
    assert_eq!(flags, [false, false, true, true]);
    let (status, body, _) = s.send(Method::DELETE, &late_path, Some(&ada), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, account, _) = s.get(&format!("/v1/accounts/{bank}"), Some(&ada)).await;
    assert_eq!(account["reconciled_on"], "2026-11-10");
}

async fn every_path_respects_the_reconciled_day(s: Server) {
    let (ada, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&ada, "Bank", "EUR").await;
    let cash = s.create_account(&ada, "Cash", "EUR").await;
    let csv = "date,amount,description\n2026-11-02,50,Salary\n2026-11-03,-10,Lunch\n";
    let import = |body: &'static str| {
        s.http
            .post(s.url(&format!("/v1/accounts/{bank}/imports")))
            .bearer_auth(&ada)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let (status, body, _) = server::read(import(csv).await.expect("import")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = reconcile(&s, &ada, &bank, "2026-11-03", "40").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The same file again: its rows are duplicates, wherever they are dated.
    let (status, body, _) = server::read(import(csv).await.expect("import")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body, json!({"added": 0, "duplicates": 2}));
    // A new row on a reconciled day refuses the file, whole.
    let mixed = "date,amount,description\n2026-11-04,1,Later\n2026-11-03,-2,Forgotten\n";
    let (status, body, _) = server::read(import(mixed).await.expect("import")).await;
    locked(status, &body);
    assert_eq!(s.all_movements(&ada, &bank).await.len(), 2);

    // Transfers: each leg's account checks its own day.
    let transfer = |on: &str| json!({"from_account": cash, "to_account": bank, "amount": "5", "description": "Top up", "occurred_on": on});
    let (status, body, _) = s
        .post("/v1/transfers", Some(&ada), transfer("2026-11-02"))
        .await;
    locked(status, &body);
    let (status, t, _) = s
        .post("/v1/transfers", Some(&ada), transfer("2026-11-05"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    let (status, body, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/transfers/{}", str(&t["id"])),
            Some(&ada),
            Some(json!({"occurred_on": "2026-11-01"})),
        )
        .await;
    locked(status, &body);

    // A schedule's dates on or before the day are skipped, never booked backdated.
    let (status, made, _) = s
        .post(
            "/v1/schedules",
            Some(&ada),
            json!({"account": bank, "amount": "-1",
            "description": "Fee", "start": "2026-11-01", "end": "2026-11-06", "every": "day"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let booked: Vec<String> = s
        .all_movements(&ada, &bank)
        .await
        .iter()
        .filter(|m| m["schedule_id"] == made["id"])
        .map(|m| str(&m["occurred_on"]))
        .collect();
    assert_eq!(booked, ["2026-11-06", "2026-11-05", "2026-11-04"]);
    assert_eq!(balance_on(&s, &ada, &bank, "2026-11-03").await, "40.00");

    // Viewers read but do not reconcile; strangers see nothing.
    let (viewer, _) = s.new_member(&ada, &bank, "viewer").await;
    let (status, body) = reconcile(&s, &viewer, &bank, "2026-11-04", "44").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(balance_on(&s, &viewer, &bank, "2026-11-03").await, "40.00");
    let (stranger, _) = s.sign_in(&email()).await;
    let (status, _) = reconcile(&s, &stranger, &bank, "2026-11-04", "44").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = s
        .get(&format!("/v1/accounts/{bank}/balance"), Some(&stranger))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = s
        .get(
            &format!("/v1/accounts/{bank}/balance?on=2026-02-30"),
            Some(&ada),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

on_backends!(
    a_matching_statement_locks_what_it_covers,
    every_path_respects_the_reconciled_day,
    every_change_is_kept_newest_first,
    an_import_is_one_entry_and_members_read_it,
);
