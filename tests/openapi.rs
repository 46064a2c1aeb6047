//! The OpenAPI document against the running server: every documented operation answers,
//! with valid input, a status the document lists; nothing undocumented answers.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;

use reqwest::StatusCode;
use serde_json::json;
use server::{Backend, Server, email, str};

/// Every operation of the OpenAPI document, called with valid input, answers with a
/// status the document lists for it; and nothing undocumented answers.
#[tokio::test]
async fn every_documented_route_answers_as_documented() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let (status, doc, _) = s.get("/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(str(&doc["openapi"]).starts_with("3."), "{}", doc["openapi"]);
    let address = email();
    let (token, _) = s.sign_in(&address).await;
    let account = s.create_account(&token, "Doc", "EUR").await;
    let shared_movement = new_movement(&s, &token, &account).await;
    let other = s.create_account(&token, "Doc 2", "EUR").await;
    let transfer_body = json!({"from_account": account, "to_account": other, "amount": "1.00", "description": "doc"});
    let mut called = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let op_id = str(&op["operationId"]);
            // Deleting spends its account, so it gets an empty one of its own; transfer
            // routes take a transfer's id, and deleting one spends it too.
            let target = match op_id.as_str() {
                "deleteAccount" => s.create_account(&token, "To delete", "EUR").await,
                "getTransfer" | "editTransfer" | "deleteTransfer" => {
                    let (status, t, _) = s
                        .post("/v1/transfers", Some(&token), transfer_body.clone())
                        .await;
                    assert_eq!(status, StatusCode::CREATED, "{t}");
                    str(&t["id"])
                }
                "getSchedule" | "editSchedule" | "deleteSchedule" | "upcoming" => {
                    let (status, made, _) = s
                        .post(
                            "/v1/schedules",
                            Some(&token),
                            json!({"account": account, "amount": "-1.00", "description": "doc",
                                   "start": "2026-01-01", "every": "month"}),
                        )
                        .await;
                    assert_eq!(status, StatusCode::CREATED, "{made}");
                    str(&made["id"])
                }
                // A rule of its own for each rule route (deleting spends it).
                "getRule" | "editRule" | "deleteRule" | "previewRule" | "applyRule" => {
                    let (status, r, _) = s
                        .post(
                            "/v1/rules",
                            Some(&token),
                            json!({"name": "doc", "when": {"description_contains": "doc"},
                                   "then": {"category": "docs"}}),
                        )
                        .await;
                    assert_eq!(status, StatusCode::CREATED, "{r}");
                    str(&r["id"])
                }
                // A webhook of its own for each webhook route (deleting spends it).
                "deleteWebhook" | "listWebhookDeliveries" => {
                    let (status, w, _) = s
                        .post(
                            "/v1/webhooks",
                            Some(&token),
                            json!({"url": "https://example.com/doc", "events": ["*"]}),
                        )
                        .await;
                    assert_eq!(status, StatusCode::CREATED, "{w}");
                    str(&w["id"])
                }
                // An invitation to this user, from someone else's account.
                "acceptInvitation" | "declineInvitation" => {
                    let (theirs, _) = s.sign_in(&email()).await;
                    let shared = s.create_account(&theirs, "Shared", "EUR").await;
                    s.invite(&theirs, &shared, &address, "viewer", &token).await
                }
                _ => account.clone(),
            };
            // A member to change or remove joins first.
            let member = if matches!(op_id.as_str(), "changeMember" | "removeMember") {
                s.new_member(&token, &account, "editor").await.1
            } else {
                String::new()
            };
            // Deleting a movement spends it too.
            let movement = if op_id == "deleteMovement" {
                new_movement(&s, &token, &account).await
            } else {
                shared_movement.clone()
            };
            // Deleting a budget spends it too.
            if op_id == "deleteBudget" {
                let (status, b, _) = s
                    .send(
                        reqwest::Method::PUT,
                        "/v1/budgets/food",
                        Some(&token),
                        Some(json!({"amount": "1.00", "currency": "EUR"})),
                    )
                    .await;
                assert!(status.is_success(), "{b}");
            }
            // Deleting a reconciliation spends it: one is made just before, on a day
            // before anything the other routes write (the 2nd, so that reconciling the
            // 1st still works whichever comes first), which locks nothing they use.
            let reconciliation = if op_id == "deleteReconciliation" {
                let (status, r, _) = s
                    .post(
                        &format!("/v1/accounts/{target}/reconciliations"),
                        Some(&token),
                        json!({"date": "2000-01-02", "balance": "0.00"}),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{r}");
                str(&r["id"])
            } else {
                String::new()
            };
            // Deleting a rate spends it: it is set just before.
            if op_id == "deleteRate" {
                let (status, r, _) = s
                    .send(
                        reqwest::Method::PUT,
                        "/v1/rates/EUR/USD/2026-11-20",
                        Some(&token),
                        Some(json!({"rate": "1.0842"})),
                    )
                    .await;
                assert!(status.is_success(), "{r}");
            }
            let url = path
                .replace("{id}", &target)
                .replace("{user_id}", &member)
                .replace("{mid}", &movement)
                .replace("{rid}", &reconciliation)
                .replace("{base}", "EUR")
                .replace("{quote}", "USD")
                .replace("{date}", "2026-11-20")
                .replace("{category}", "food");
            let public = op["security"] == json!([]);
            let body = match op_id.as_str() {
                "requestCode" => Some(json!({"email": email()})),
                "verifyCode" => {
                    s.post("/v1/auth/otp", None, json!({"email": address}))
                        .await;
                    Some(json!({"email": address, "code": s.inbox.code_for(&address)}))
                }
                "createAccount" => Some(json!({"name": "Another", "currency": "JPY"})),
                "addMovement" => Some(json!({"amount": "-1.00", "description": "doc"})),
                "updateAccount" => Some(json!({"name": "Renamed"})),
                "editMovement" => Some(json!({"description": "edited"})),
                "createTransfer" => Some(transfer_body.clone()),
                "editTransfer" => Some(json!({"amount": "2.00"})),
                "updateProfile" => Some(json!({"base_currency": "EUR"})),
                "setRate" => Some(json!({"rate": "1.0842"})),
                "setBudget" => Some(json!({"amount": "300.00", "currency": "EUR"})),
                "createSchedule" => Some(json!({"account": account, "amount": "-1.00",
                    "description": "doc", "start": "2026-01-01", "every": "month"})),
                "editSchedule" => Some(json!({"description": "edited"})),
                "inviteMember" => Some(json!({"email": email(), "role": "viewer"})),
                "changeMember" => Some(json!({"role": "viewer"})),
                "createRule" => Some(json!({"name": "doc", "when": {"amount_max": "-1"},
                    "then": {"add_tags": ["doc"]}})),
                "editRule" => Some(json!({"position": 1})),
                "applyRule" => Some(json!({"overwrite": false})),
                "reconcile" => Some(json!({"date": "2000-01-01", "balance": "0.00"})),
                "createWebhook" => Some(json!({"url": "https://example.com/doc"})),
                _ => None,
            };
            // The export needs its format.
            let url = if op_id == "exportJournal" {
                format!("{url}?format=hledger")
            } else {
                url
            };
            let mut req = match method.as_str() {
                "get" => s.http.get(s.url(&url)),
                "post" => s.http.post(s.url(&url)),
                "patch" => s.http.patch(s.url(&url)),
                "put" => s.http.put(s.url(&url)),
                "delete" => s.http.delete(s.url(&url)),
                other => panic!("undocumented method {other}"),
            };
            if !public {
                // Signing out spends its token (everywhere: all of its user's), and
                // deleting the user spends the user, so those routes get a user of their
                // own; every other route keeps the shared one.
                let spent;
                let bearer = if op_id.starts_with("logout") || op_id == "deleteMe" {
                    spent = s.sign_in(&email()).await.0;
                    &spent
                } else {
                    &token
                };
                req = req.bearer_auth(bearer);
            }
            if let Some(b) = body {
                req = req.json(&b);
            }
            if op_id == "importStatement" {
                req = req
                    .header("content-type", "text/csv")
                    .body("date,amount,description\n2026-11-20,-1.00,doc\n");
            }
            if op_id == "importJournal" {
                req = req
                    .header("content-type", "text/plain")
                    .body("2026-11-20 Doc\n    assets:Doc  -1.00 EUR\n    expenses:doc\n");
            }
            if op_id == "importRates" {
                req = req
                    .header("content-type", "text/csv")
                    .body("Date,USD,\n2026-11-20,1.0842,\n");
            }
            let res = req.send().await.expect("request");
            let status = res.status().as_u16().to_string();
            let documented = op["responses"].as_object().expect("responses");
            assert!(
                documented.contains_key(&status),
                "{method} {path} answered {status}, documented: {:?}",
                documented.keys()
            );
            assert!(
                status.starts_with('2'),
                "{method} {path} with valid input answered {status}"
            );
            if !public {
                let res = s
                    .http
                    .request(res_method(method), s.url(&url))
                    .send()
                    .await
                    .expect("request");
                assert_eq!(
                    res.status(),
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} without a token"
                );
                assert!(
                    documented.contains_key("401"),
                    "{method} {path} does not document 401"
                );
            }
            called.push(op_id);
        }
    }
    assert_eq!(called.len(), 70, "{called:?}");
    // And nothing answers that the document does not list: every other method on every
    // documented path is refused as not found or not allowed.
    let (token, _) = s.sign_in(&email()).await;
    let account = s.create_account(&token, "Probe", "EUR").await;
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        let url = s.url(
            &path
                .replace("{id}", &account)
                .replace("{user_id}", &account)
                .replace("{mid}", &shared_movement)
                .replace("{base}", "EUR")
                .replace("{quote}", "USD")
                .replace("{date}", "2026-11-20")
                .replace("{category}", "food"),
        );
        for method in ["get", "post", "put", "patch", "delete"] {
            if ops.get(method).is_some() {
                continue;
            }
            let res = s
                .http
                .request(res_method(method), &url)
                .bearer_auth(&token)
                .send()
                .await
                .expect("request");
            assert!(
                matches!(res.status().as_u16(), 404 | 405),
                "{method} {path} answered {} but is not documented",
                res.status()
            );
        }
    }
    let (status, _, _) = s.get("/v1/nothing-here", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A movement of `account`; returns its id.
async fn new_movement(s: &Server, token: &str, account: &str) -> String {
    let (status, body, _) = s
        .post(
            &format!("/v1/accounts/{account}/movements"),
            Some(token),
            json!({"amount": "1.00", "description": "doc"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    str(&body["id"])
}

fn res_method(m: &str) -> reqwest::Method {
    m.to_uppercase().parse().expect("method")
}

/// The document lists every problem type, the refusals each with its own: a client
/// generated from it can branch on `type` (DESIGN.md, "An exact contract").
#[tokio::test]
async fn the_document_lists_every_problem_type() {
    let s = Server::start(Backend::Embedded, &[]).await.expect("server");
    let (_, doc, _) = s.get("/openapi.json", None).await;
    let types = doc["components"]["schemas"]["Problem"]["properties"]["type"]["enum"]
        .as_array()
        .expect("the Problem type is an enum")
        .iter()
        .map(str)
        .collect::<Vec<_>>();
    for kind in [
        "/problems/account-archived",
        "/problems/has-movements",
        "/problems/transfer-leg",
        "/problems/name-taken",
        "/problems/idempotency-key-reused",
        "/problems/validation-error",
        "/problems/unsupported-media-type",
    ] {
        assert!(types.iter().any(|t| t == kind), "{kind} in {types:?}");
    }
    assert!(
        !types.iter().any(|t| t == "/problems/conflict"),
        "{types:?}"
    );
}
