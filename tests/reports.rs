//! Finding and understanding over HTTP, on both backends: filters on both movement lists
//! (text, category, amounts, dates) with stable pages, categories, the cash-flow and
//! net-worth reports (quiet periods as zero, several currencies, converted with what is
//! missing), and budgets with what was spent.

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

async fn add(
    s: &Server,
    token: &str,
    account: &str,
    amount: &str,
    description: &str,
    category: Option<&str>,
    on: &str,
) -> String {
    let mut body = json!({"amount": amount, "description": description, "occurred_on": on});
    if let Some(c) = category {
        body["category"] = json!(c);
    }
    let (status, m, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(token),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    str(&m["id"])
}

fn descriptions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| str(&m["description"]))
        .collect()
}

async fn filters_find_movements_on_one_account_and_across_all(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let yen = s.create_account(&token, "Yen", "JPY").await;
    add(
        &s,
        &token,
        &bank,
        "-12.50",
        "Lunch at Café",
        Some("food"),
        "2026-03-01",
    )
    .await;
    add(
        &s,
        &token,
        &bank,
        "-40.00",
        "Groceries",
        Some("food"),
        "2026-03-02",
    )
    .await;
    add(&s, &token, &bank, "2500.00", "Salary", None, "2026-03-01").await;
    add(
        &s,
        &token,
        &bank,
        "-5.00",
        "100% juice",
        Some("food"),
        "2026-03-03",
    )
    .await;
    add(
        &s,
        &token,
        &yen,
        "-1200",
        "LUNCH in Tokyo",
        Some("food"),
        "2026-03-02",
    )
    .await;
    add(
        &s,
        &token,
        &yen,
        "-300",
        "Metro",
        Some("travel"),
        "2026-03-02",
    )
    .await;

    let get = |path: String| {
        let (s, token) = (&s, &token);
        async move {
            let (status, page, _) = s.get(&path, Some(token)).await;
            assert_eq!(status, StatusCode::OK, "{path}: {page}");
            page
        }
    };
    // Text in any case, anywhere in the description; % is a character, not a wildcard.
    let found = get(format!("/v1/accounts/{bank}/movements?q=lunch")).await;
    assert_eq!(descriptions(&found), ["Lunch at Café"]);
    assert_eq!(
        descriptions(&get("/v1/movements?q=LUNCH".into()).await),
        ["LUNCH in Tokyo", "Lunch at Café"]
    );
    assert_eq!(
        descriptions(&get("/v1/movements?q=0%25".into()).await),
        ["100% juice"]
    );
    assert_eq!(
        descriptions(&get("/v1/movements?q=%25%25".into()).await),
        Vec::<String>::new()
    );
    // Category, amounts (in each account's currency) and dates together.
    let food = get("/v1/movements?category=food&min=-50&max=-10".into()).await;
    assert_eq!(descriptions(&food), ["Groceries", "Lunch at Café"]);
    let big = get("/v1/movements?max=-100".into()).await;
    assert_eq!(
        descriptions(&big),
        ["Metro", "LUNCH in Tokyo"],
        "-100 yen and less; no euro expense is that big"
    );
    let day = get(format!(
        "/v1/accounts/{yen}/movements?from=2026-03-02&to=2026-03-02&min=-500"
    ))
    .await;
    assert_eq!(descriptions(&day), ["Metro"]);
    // Every item says which account it is on.
    let all = get("/v1/movements".into()).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(6));
    assert!(
        all["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|m| m["account_id"] == bank || m["account_id"] == yen)
    );

    // The text index follows edits and deletes.
    let typo = add(&s, &token, &bank, "-1.00", "Cofee", None, "2026-03-04").await;
    let path = format!("/v1/accounts/{bank}/movements/{typo}");
    let (_, m, headers) = s.get(&path, Some(&token)).await;
    let etag = headers["etag"].to_str().expect("etag").to_string();
    let res = s
        .http
        .patch(s.url(&path))
        .bearer_auth(&token)
        .header("If-Match", etag)
        .json(&json!({"description": "Coffee beans"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::OK, "{m}");
    assert_eq!(
        descriptions(&get("/v1/movements?q=coffee".into()).await),
        ["Coffee beans"]
    );
    assert!(descriptions(&get("/v1/movements?q=cofee".into()).await).is_empty());
    let (status, _, _) = s.send(Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(descriptions(&get("/v1/movements?q=coffee".into()).await).is_empty());

    // Bad filters: 422 naming the parameter, for both lists.
    for (query, field) in [
        ("min=10&max=1", "min"),
        ("min=ten", "min"),
        ("max=1.2.3", "max"),
        ("colour=red", "colour"),
        ("from=2026-13-01", "from"),
        ("limit=0", "limit"),
    ] {
        for path in [
            format!("/v1/movements?{query}"),
            format!("/v1/accounts/{bank}/movements?{query}"),
        ] {
            let (status, problem, _) = s.get(&path, Some(&token)).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}: {problem}"
            );
            assert_eq!(problem["errors"][0]["field"], field, "{path}: {problem}");
        }
    }
    // An amount finer than the account's currency is refused on its own list.
    let (status, problem, _) = s
        .get(
            &format!("/v1/accounts/{yen}/movements?min=1.5"),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
}

async fn pages_across_accounts_are_stable_under_new_writes(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let a = s.create_account(&token, "A", "EUR").await;
    let b = s.create_account(&token, "B", "USD").await;
    // Ties: many movements on one day, in both accounts, in turn.
    let mut expected = Vec::new();
    for i in 0..12 {
        let account = if i % 2 == 0 { &a } else { &b };
        add(
            &s,
            &token,
            account,
            "-1.00",
            &format!("tie {i:02}"),
            Some("x"),
            "2026-05-05",
        )
        .await;
        expected.push(format!("tie {i:02}"));
    }
    expected.reverse();
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let (_, page, _) = s
            .get(
                &format!("/v1/movements?q=tie&limit=5{cursor}"),
                Some(&token),
            )
            .await;
        seen.extend(descriptions(&page));
        // Writes between pages (newer, and on the same day) do not shift what comes next.
        add(
            &s,
            &token,
            &a,
            "-1.00",
            "tie later",
            Some("x"),
            "2026-05-05",
        )
        .await;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, expected);
}

async fn categories_group_every_movement(s: Server) {
    let (token, _) = s.sign_in(&email()).await;
    let bank = s.create_account(&token, "Bank", "EUR").await;
    let yen = s.create_account(&token, "Yen", "JPY").await;
    let savings = s.create_account(&token, "Savings", "EUR").await;
    add(
        &s,
        &token,
        &bank,
        "-12.50",
        "Lunch",
        Some("food"),
        "2026-03-01",
    )
    .await;
    add(
        &s,
        &token,
        &yen,
        "-1200",
        "Ramen",
        Some("food"),
        "2026-03-02",
    )
    .await;
    add(&s, &token, &bank, "1000.00", "Salary", None, "2026-03-01").await;
    add(
        &s,
        &token,
        &bank,
        "-3.00",
        "Bus",
        Some("travel"),
        "2026-03-01",
    )
    .await;
    // A transfer is not spending: its legs are in no category's figures.
    let (status, _, _) = s
        .post("/v1/transfers", Some(&token), json!({"from_account": bank, "to_account": savings, "amount": "100.00", "description": "save"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, list, _) = s.get("/v1/categories", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!({"items": [
            {"name": "food", "count": 2, "totals": [{"currency": "EUR", "amount": "-12.50"}, {"currency": "JPY", "amount": "-1200"}]},
            {"name": "travel", "count": 1, "totals": [{"currency": "EUR", "amount": "-3.00"}]},
            {"name": null, "count": 1, "totals": [{"currency": "EUR", "amount": "1000.00"}]},
        ]})
    );
}

async fn cash_flow_by_period_currency_and_category(s: Server) {
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

async fn net_worth_at_the_end_of_each_period(s: Server) {
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

async fn budgets_say_what_was_spent_and_what_remains(s: Server) {
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

on_backends!(
    filters_find_movements_on_one_account_and_across_all,
    pages_across_accounts_are_stable_under_new_writes,
    categories_group_every_movement,
    cash_flow_by_period_currency_and_category,
    net_worth_at_the_end_of_each_period,
    budgets_say_what_was_spent_and_what_remains,
);
