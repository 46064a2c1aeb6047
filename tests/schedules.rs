//! Schedules over HTTP, on both backends: dates due by today booked at once (catch-up),
//! month ends, previews, edits and deletes; and on Postgres, two servers starting at once
//! on one database book every date exactly once.

#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;

#[path = "support/listening.rs"]
mod listening;
#[path = "support/server.rs"]
mod server;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, str};
use time::{Date, Duration, OffsetDateTime};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

async fn schedules_book_what_is_due_once_and_preview_the_rest(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    // Daily for the last 10 days and today: 11 movements at once.
    let start = today() - Duration::days(10);
    let (status, made, headers) = s
        .post(
            "/v1/schedules",
            Some(&token),
            json!({"account": bank, "amount": "-2.50", "description": "Coffee", "category": "food",
                   "start": start.to_string(), "every": "day"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = str(&made["id"]);
    assert_eq!(headers["location"], format!("/v1/schedules/{id}"));
    assert_eq!(made["every"], "day");
    assert_eq!(made["interval"], 1);
    assert_eq!(made["end"], Value::Null);
    let movements = s.all_movements(&token, &bank).await;
    assert_eq!(movements.len(), 11);
    assert!(movements.iter().all(|m| m["schedule_id"] == id.as_str()));
    assert_eq!(s.balance(&token, &bank).await, "-27.50");
    // The preview starts tomorrow.
    let (status, next, _) = s
        .get(
            &format!("/v1/schedules/{id}/upcoming?count=3"),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let expected: Vec<String> = (1..=3)
        .map(|d| (today() + Duration::days(d)).to_string())
        .collect();
    assert_eq!(next["dates"], json!(expected));
    let (_, five, _) = s
        .get(&format!("/v1/schedules/{id}/upcoming"), Some(&token))
        .await;
    assert_eq!(five["dates"].as_array().map(Vec::len), Some(5));
    for bad in ["0", "101", "x"] {
        let (status, _, _) = s
            .get(
                &format!("/v1/schedules/{id}/upcoming?count={bad}"),
                Some(&token),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    // Month ends: the 31st falls on the last day of shorter months.
    let (status, monthly, _) = s
        .post(
            "/v1/schedules",
            Some(&token),
            json!({"account": bank, "amount": "1000", "description": "Salary",
                   "start": "2024-01-31", "end": "2024-04-30", "every": "month"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{monthly}");
    let (_, page, _) = s
        .get(
            &format!("/v1/accounts/{bank}/movements?q=salary"),
            Some(&token),
        )
        .await;
    let dates: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| str(&m["occurred_on"]))
        .collect();
    assert_eq!(
        dates,
        ["2024-04-30", "2024-03-31", "2024-02-29", "2024-01-31"]
    );
    let (_, list, _) = s.get("/v1/schedules", Some(&token)).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));

    // An edit changes what is booked from now on; what was booked stays.
    let (status, edited, _) = s
        .send(
            Method::PATCH,
            &format!("/v1/schedules/{id}"),
            Some(&token),
            Some(json!({"amount": "-3.00", "category": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        (edited["amount"].as_str(), &edited["category"]),
        (Some("-3.00"), &Value::Null)
    );
    assert_eq!(
        s.all_movements(&token, &bank).await.len(),
        15,
        "no date booked twice"
    );
    for (body, field) in [
        (json!({"every": "fortnight"}), "every"),
        (json!({"interval": 0}), "interval"),
        (json!({"amount": "0"}), "amount"),
        (json!({"end": "2000-01-01"}), "end"),
        (json!({"account": bank}), "account"),
    ] {
        let (status, problem, _) = s
            .send(
                Method::PATCH,
                &format!("/v1/schedules/{id}"),
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    for (body, field) in [
        (
            json!({"account": bank, "amount": "1.001", "description": "x", "start": "2026-01-01", "every": "day"}),
            "amount",
        ),
        (
            json!({"account": bank, "amount": "1", "description": "x", "start": "someday", "every": "day"}),
            "start",
        ),
        (
            json!({"account": "nope", "amount": "1", "description": "x", "start": "2026-01-01", "every": "day"}),
            "account",
        ),
    ] {
        let (status, problem, _) = s.post("/v1/schedules", Some(&token), body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
    }
    // Another user's schedule and account are not found.
    let path = format!("/v1/schedules/{id}");
    for method in [Method::GET, Method::DELETE] {
        let (status, _, _) = s.send(method.clone(), &path, Some(&other), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
    }
    let (status, _, _) = s
        .post("/v1/schedules", Some(&other), json!({"account": bank, "amount": "1", "description": "x", "start": "2026-01-01", "every": "day"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A delete keeps the movements it booked.
    let (status, _, _) = s.send(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.get(&path, Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.all_movements(&token, &bank).await.len(), 15);
}

on_backends!(schedules_book_what_is_due_once_and_preview_the_rest);

/// Two servers on one Postgres database start at once, each catching up on schedules
/// whose progress was lost: every date is booked exactly once, and each balance is the
/// sum of its movements.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_book_each_date_exactly_once() {
    let Some(mut a) = Server::start_process(Backend::Postgres, &[]).await else {
        return;
    };
    let url = a.env("FINANCE_DATABASE_URL").expect("url").to_string();
    let schema = url
        .rsplit("application_name=")
        .next()
        .expect("schema")
        .to_string();
    let (token, _) = a.sign_in(&email()).await;
    let mut expected = 0;
    for i in 0..10 {
        let account = a.create_account(&token, &format!("A{i}"), "EUR").await;
        let start = today() - Duration::days(40 + i);
        let (status, made, _) = a
            .post(
                "/v1/schedules",
                Some(&token),
                json!({"account": account, "amount": "-1.00", "description": "rent",
                       "start": start.to_string(), "every": "day"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        expected += 41 + i;
    }
    let admin = sqlx::PgPool::connect(&std::env::var("FINANCE_TEST_DATABASE_URL").expect("url"))
        .await
        .expect("admin");
    let count = |sql: &str| {
        let (admin, sql) = (&admin, sqlx::AssertSqlSafe(sql.replace("{s}", &schema)));
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(admin)
                .await
                .expect("count")
        }
    };
    assert_eq!(
        count("SELECT count(*) FROM {s}.movements WHERE schedule_id IS NOT NULL").await,
        expected
    );
    // Progress lost, as after a crash between booking and noting it: both servers start
    // together and catch up at once.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {schema}.schedules SET booked_through = NULL"
    )))
    .execute(&admin)
    .await
    .expect("reset");
    a.kill();
    let mut b = Server::start_process(Backend::Postgres, &[("FINANCE_DATABASE_URL", &url)])
        .await
        .expect("second server");
    b.kill();
    tokio::join!(a.spawn(), b.spawn());
    server::eventually("both servers to catch up", || {
        let count = &count;
        async move {
            count("SELECT count(*) FROM {s}.schedules WHERE booked_through IS NULL").await == 0
        }
    })
    .await;
    assert_eq!(
        count("SELECT count(*) FROM {s}.movements WHERE schedule_id IS NOT NULL").await,
        expected,
        "a date was booked twice"
    );
    assert_eq!(
        count("SELECT count(*) FROM {s}.schedule_bookings").await,
        expected
    );
    assert_eq!(
        count("SELECT count(*) FROM {s}.accounts a WHERE a.balance <> (SELECT coalesce(sum(m.amount), 0) FROM {s}.movements m WHERE m.account_id = a.id)").await,
        0
    );
    admin.close().await;
}
