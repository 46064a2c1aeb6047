//! Cash flow over time, end to end.

use super::*;

pub(super) async fn cash_flow_by_period_currency_and_category(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let usd = s.create_account(&token, "Dollars", "USD").await;
    add(&s, &token, &bank, "2000.00", "Salary", None, "2026-01-31").await;
    add(
        &s,
        &token,
        &bank,
        "-12.50",
        "Lunch",
        Some("food"),
        "2026-01-05",
    )
    .await;
    add(
        &s,
        &token,
        &usd,
        "-10.00",
        "Burger",
        Some("food"),
        "2026-01-20",
    )
    .await;
    add(
        &s,
        &token,
        &bank,
        "-30.00",
        "Dinner",
        Some("food"),
        "2026-03-01",
    )
    .await;
    let (status, r, _) = s
        .get(
            "/v1/reports/cash-flow?from=2026-01-01&to=2026-03-31&step=month",
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let periods = r["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3, "{r}");
    assert_eq!(
        (str(&periods[0]["start"]), str(&periods[0]["end"])),
        ("2026-01-01".into(), "2026-01-31".into())
    );
    assert_eq!(
        periods[0]["totals"],
        json!([
            {"currency": "EUR", "income": "2000.00", "expense": "12.50", "net": "1987.50"},
            {"currency": "USD", "income": "0.00", "expense": "10.00", "net": "-10.00"},
        ])
    );
    let names: Vec<Value> = periods[0]["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("food"), Value::Null],
        "the uncategorised are a group, last"
    );
    // February was quiet: present, as zero.
    assert_eq!(
        periods[1]["totals"][0],
        json!({"currency": "EUR", "income": "0.00", "expense": "0.00", "net": "0.00"})
    );
    assert_eq!(periods[1]["categories"], json!([]));
    assert!(periods[0].get("converted").is_none());

    // Converted into EUR at each period's last day; USD has no rate before March.
    s.send(
        Method::PUT,
        "/v1/rates/EUR/USD/2026-03-01",
        Some(&token),
        Some(json!({"rate": "1.25"})),
    )
    .await;
    s.post(
        &format!("/v1/accounts/{usd}/movements"),
        Some(&token),
        json!({"amount": "-2.50", "description": "Coffee", "occurred_on": "2026-03-02"}),
    )
    .await;
    let (_, r, _) = s
        .get(
            "/v1/reports/cash-flow?from=2026-01-01&to=2026-03-31&currency=EUR",
            Some(&token),
        )
        .await;
    let periods = r["periods"].as_array().expect("periods");
    assert_eq!(
        periods[0]["converted"],
        json!({"currency": "EUR", "income": "2000.00", "expense": "12.50", "net": "1987.50"})
    );
    assert_eq!(periods[0]["missing"], json!(["USD"]));
    assert_eq!(
        periods[2]["converted"]["expense"], "32.00",
        "30 EUR + 2.50 USD at 1.25"
    );
    assert_eq!(periods[2]["missing"], json!([]));

    // ISO weeks start on Monday; days are days.
    let (_, weeks, _) = s
        .get(
            "/v1/reports/cash-flow?from=2026-01-01&to=2026-01-14&step=week",
            Some(&token),
        )
        .await;
    let starts: Vec<String> = weeks["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| str(&p["start"]))
        .collect();
    assert_eq!(starts, ["2026-01-01", "2026-01-05", "2026-01-12"]);
    let (_, days, _) = s
        .get(
            "/v1/reports/cash-flow?from=2026-01-05&to=2026-01-06&step=day",
            Some(&token),
        )
        .await;
    assert_eq!(days["periods"][0]["totals"][0]["expense"], "12.50");
    assert_eq!(days["periods"][1]["totals"][0]["expense"], "0.00");
    for query in [
        "step=year",
        "from=2026-02-01&to=2026-01-01",
        "currency=XXX",
        "from=2000-01-01&step=day",
        "color=red",
    ] {
        let (status, problem, _) = s
            .get(&format!("/v1/reports/cash-flow?{query}"), Some(&token))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {problem}"
        );
    }
}
