//! Reports over time and budgets, end to end.

use super::*;

pub(super) async fn net_worth_at_the_end_of_each_period(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let usd = s.create_account(&token, "Dollars", "USD").await;
    add(&s, &token, &bank, "100.00", "a", None, "2026-01-10").await;
    add(&s, &token, &bank, "50.00", "b", None, "2026-03-10").await;
    add(&s, &token, &usd, "10.00", "c", None, "2026-02-10").await;
    let (status, r, _) = s
        .get(
            "/v1/reports/net-worth?from=2026-01-01&to=2026-03-31&step=month",
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let points = r["points"].as_array().expect("points");
    let dates: Vec<String> = points.iter().map(|p| str(&p["date"])).collect();
    assert_eq!(dates, ["2026-01-31", "2026-02-28", "2026-03-31"]);
    assert_eq!(
        points[0]["amount"],
        Value::Null,
        "no currency to convert to"
    );
    assert_eq!(
        points[1]["totals"],
        json!([{"currency": "EUR", "amount": "100.00"}, {"currency": "USD", "amount": "10.00"}])
    );
    // Converted at each point's date: no USD rate until February's end.
    s.send(
        Method::PUT,
        "/v1/rates/USD/EUR/2026-02-20",
        Some(&token),
        Some(json!({"rate": "0.8"})),
    )
    .await;
    let (_, r, _) = s
        .get(
            "/v1/reports/net-worth?from=2026-01-01&to=2026-03-31&step=month&currency=EUR",
            Some(&token),
        )
        .await;
    let points = r["points"].as_array().expect("points");
    assert_eq!(
        points[0],
        json!({"date": "2026-01-31", "amount": "100.00", "missing": ["USD"], "totals": [{"currency": "EUR", "amount": "100.00"}, {"currency": "USD", "amount": "0.00"}]})
    );
    assert_eq!(
        (str(&points[1]["amount"]), &points[1]["missing"]),
        ("108.00".into(), &json!([]))
    );
    assert_eq!(points[2]["amount"], "158.00");
    let (_, early, _) = s
        .get(
            "/v1/reports/net-worth?from=2026-01-01&to=2026-02-15&step=month&currency=EUR",
            Some(&token),
        )
        .await;
    assert_eq!(early["points"][1]["missing"], json!(["USD"]), "{early}");
}

pub(super) async fn budgets_say_what_was_spent_and_what_remains(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let (other, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let usd = s.create_account(&token, "Dollars", "USD").await;
    add(
        &s,
        &token,
        &bank,
        "-120.00",
        "Groceries",
        Some("food & drink"),
        "2026-11-03",
    )
    .await;
    add(
        &s,
        &token,
        &bank,
        "-200.00",
        "Party",
        Some("food & drink"),
        "2026-11-20",
    )
    .await;
    add(
        &s,
        &token,
        &bank,
        "15.00",
        "Refund",
        Some("food & drink"),
        "2026-11-21",
    )
    .await;
    add(
        &s,
        &token,
        &usd,
        "-50.00",
        "Abroad",
        Some("food & drink"),
        "2026-11-05",
    )
    .await;
    add(
        &s,
        &token,
        &bank,
        "-10.00",
        "Last month",
        Some("food & drink"),
        "2026-10-31",
    )
    .await;
    let path = "/v1/budgets/food%20%26%20drink";
    let (status, b, headers) = s
        .send(
            Method::PUT,
            path,
            Some(&token),
            Some(json!({"amount": "300.00", "currency": "EUR"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(
        b,
        json!({"category": "food & drink", "currency": "EUR", "amount": "300.00"})
    );
    assert_eq!(headers["location"], path);
    let (status, _, _) = s
        .send(
            Method::PUT,
            path,
            Some(&token),
            Some(json!({"amount": "250", "currency": "EUR"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "a second PUT replaces");
    let (status, list, _) = s.get("/v1/budgets?month=2026-11", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list["items"],
        json!([{"category": "food & drink", "currency": "EUR", "amount": "250.00", "spent": "320.00", "remaining": "-70.00"}]),
        "expenses in EUR in November only; the refund is income, not less spending"
    );
    let (_, october, _) = s.get("/v1/budgets?month=2026-10", Some(&token)).await;
    assert_eq!(october["items"][0]["spent"], "10.00");
    let (_, theirs, _) = s.get("/v1/budgets?month=2026-11", Some(&other)).await;
    assert_eq!(theirs["items"], json!([]));
    for (body, field) in [
        (json!({"amount": "0", "currency": "EUR"}), "amount"),
        (json!({"amount": "-5", "currency": "EUR"}), "amount"),
        (json!({"amount": "1.001", "currency": "EUR"}), "amount"),
        (json!({"amount": "5", "currency": "EURO"}), "currency"),
        (json!({"amount": "5"}), "currency"),
    ] {
        let (status, problem, _) = s
            .send(
                Method::PUT,
                "/v1/budgets/fun",
                Some(&token),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let long = format!("/v1/budgets/{}", "x".repeat(51));
    let (status, _, _) = s
        .send(
            Method::PUT,
            &long,
            Some(&token),
            Some(json!({"amount": "5", "currency": "EUR"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = s.get("/v1/budgets?month=2026-13", Some(&token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = s.send(Method::DELETE, path, Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = s.send(Method::DELETE, path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = s.send(Method::DELETE, path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
