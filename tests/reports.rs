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

#[path = "reports/budgets_and_net_worth.rs"]
mod budgets_and_net_worth;
use budgets_and_net_worth::*;

#[path = "reports/cash_flow.rs"]
mod cash_flow;
use cash_flow::*;

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

on_backends!(
    filters_find_movements_on_one_account_and_across_all,
    pages_across_accounts_are_stable_under_new_writes,
    categories_group_every_movement,
    cash_flow_by_period_currency_and_category,
    net_worth_at_the_end_of_each_period,
    budgets_say_what_was_spent_and_what_remains,
);
