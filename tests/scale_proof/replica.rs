//! The replica and catching up across three servers.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
pub(super) async fn three_servers_catching_up_book_each_date_once() {
    let Some((s, ctl_script)) = setup().await else {
        return;
    };
    let (token, user) = s.sign_in(&email()).await;
    let user = uuid::Uuid::parse_str(&user).expect("user id");
    let today = time::OffsetDateTime::now_utc().date();
    let mut accounts = Vec::new();
    for i in 0..6i64 {
        let account = s.create_account(&token, &format!("Rent {i}"), "EUR").await;
        let start = today - time::Duration::days(30 + i);
        let (status, made, _) = s
            .post(
                "/v1/schedules",
                Some(&token),
                json!({"account": account, "amount": "-1.00", "description": "rent",
                       "start": start.to_string(), "every": "day"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        accounts.push((account, 31 + i as usize));
    }
    // Progress lost, as after a crash between booking and noting it; then the three
    // servers restart together and each catches up at start.
    let admin = sqlx::PgPool::connect(&std::env::var("FINANCE_TEST_DATABASE_URL").expect("url"))
        .await
        .expect("admin");
    sqlx::query("UPDATE schedules SET booked_through = NULL WHERE owner_id = $1")
        .bind(user)
        .execute(&admin)
        .await
        .expect("reset");
    ctl(&ctl_script, &["restart-all"]);
    server::eventually("the servers to catch up", || {
        let admin = &admin;
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM schedules WHERE owner_id = $1 AND booked_through IS NULL",
            )
            .bind(user)
            .fetch_one(admin)
            .await
            .expect("count")
                == 0
        }
    })
    .await;
    for (account, days) in &accounts {
        let listed = s.all_movements(&token, account).await;
        let dates: HashSet<String> = listed.iter().map(|m| str(&m["occurred_on"])).collect();
        assert_eq!(listed.len(), *days, "a date booked twice or missed");
        assert_eq!(dates.len(), *days);
        assert_eq!(
            cents(&s.balance(&token, account).await),
            -100 * *days as i64
        );
    }
}

/// Waits (bounded) until all three servers say on /metrics whether lists read the
/// replica: `finance_read_replica_in_use` `value`.
pub(super) async fn replica_in_use(s: &Server, value: &str) {
    let line = format!("finance_read_replica_in_use {value}");
    server::eventually(&line, || async {
        let text = s.metrics().await;
        let gauges: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("finance_read_replica_in_use "))
            .collect();
        gauges.len() == 3 && gauges.iter().all(|l| l.trim() == line)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
pub(super) async fn lists_read_the_replica_and_leave_it_while_it_lags() {
    let Some((s, ctl_script)) = setup().await else {
        return;
    };
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Bank", "EUR").await;
    // Every server reads the replica (the previous test's load may have made one leave it
    // for a while), and the replica has replayed all there was: the lag starts at the pause.
    // The replica stops replaying (and the primary stops waiting for it), then a write.
    // Timed from before the pause: a server's watcher can notice the lag a second after
    // its first check past the pause (the primary writes in the background too), not
    // only a second after this write.
    replica_in_use(&s, "1").await;
    ctl(&ctl_script, &["replica-caught-up"]);
    let paused = std::time::Instant::now();
    ctl(&ctl_script, &["replica-pause"]);
    let (status, movement, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(&token),
            json!({"amount": "-5.00", "description": "while the replica lags"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{movement}");
    // Right after it, every server still reads the replica, which has not seen it: no
    // server can have noticed the lag within a second of the pause.
    let path = format!("/v1/accounts/{account}/movements");
    let mut stale_on = HashSet::new();
    for _ in 0..3 {
        let (status, page, headers) = s.get(&path, Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        if page["items"].as_array().is_some_and(|i| i.is_empty()) {
            stale_on.insert(served_by(&headers));
        }
    }
    let quick = paused.elapsed() < Duration::from_millis(900);
    // Balances are read on the primary: never stale.
    assert_eq!(s.balance(&token, &account).await, "-5.00");
    // Every server leaves the lagging replica for the primary (each at its second check
    // after the write, about two seconds), and says so on /metrics.
    let left = std::sync::Mutex::new(HashSet::new());
    server::eventually("every server leaves the lagging replica", || {
        let (s, path, token, left) = (&s, &path, &token, &left);
        async move {
            let (status, page, headers) = s.get(path, Some(token)).await;
            assert_eq!(status, StatusCode::OK);
            if page["items"].as_array().map(Vec::len) == Some(1) {
                left.lock().expect("lock").insert(served_by(&headers));
            }
            left.lock().expect("lock").len() == 3
        }
    })
    .await;
    eprintln!(
        "every server left the lagging replica {:?} after the pause",
        paused.elapsed()
    );
    replica_in_use(&s, "0").await;
    ctl(&ctl_script, &["replica-resume"]);
    if quick {
        assert_eq!(
            stale_on.len(),
            3,
            "lists right after a write did not come from the (paused) replica"
        );
    } else {
        eprintln!("the pause, the write and three lists took 900 ms or more: staleness unproven");
    }
    // Caught up again, the replica serves the lists again, with the movement.
    replica_in_use(&s, "1").await;
    let (_, page, _) = s.get(&path, Some(&token)).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(1));
}
