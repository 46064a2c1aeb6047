//! Sharing an account over HTTP, on both backends: every route of the document that takes
//! an account, movement, transfer or schedule id decides who may (a non-member is told
//! nothing exists, a viewer reads, an editor writes, the owner manages); invitations,
//! roles, handing over, leaving and deleting oneself, as DESIGN.md "Sharing an account"
//! says.

#[path = "support/listening.rs"]
mod listening;
#[path = "support/mail.rs"]
mod mail;
#[path = "support/pg.rs"]
mod pg;
#[path = "support/server.rs"]
mod server;
#[path = "sharing/walkthrough.rs"]
mod walkthrough;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{Backend, Server, email, on_backends, str};

/// What an operation does to its account, as far as roles go.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Needs {
    Read,
    Write,
    Manage,
}

/// Every operation whose path names an account, movement, transfer or schedule, with what
/// it needs. A route added without a line here fails the walk: deciding who may call it
/// is part of adding it.
fn needs(op: &str) -> Option<Needs> {
    use Needs::*;
    Some(match op {
        "getAccount"
        | "listMovements"
        | "getMovement"
        | "listMembers"
        | "getTransfer"
        | "getSchedule"
        | "upcoming"
        | "balanceOn"
        | "accountHistory"
        | "listReconciliations" => Read,
        "addMovement"
        | "editMovement"
        | "deleteMovement"
        | "importStatement"
        | "editTransfer"
        | "deleteTransfer"
        | "editSchedule"
        | "deleteSchedule"
        | "reconcile"
        | "deleteReconciliation" => Write,
        "updateAccount" | "deleteAccount" | "inviteMember" | "changeMember" | "removeMember" => {
            Manage
        }
        _ => return None,
    })
}

/// Ada's two shared accounts, and the people around them.
struct World {
    s: Server,
    ada: String,
    joint: String,
    savings: String,
    editor: (String, String),
    viewer: (String, String),
    /// A viewer of the joint account whom the others try to change or remove.
    target: String,
    stranger: String,
}

async fn world(s: Server) -> World {
    let (ada, _) = s.sign_in(&email()).await;
    let joint = s.create_account(&ada, "Joint", "EUR").await;
    let savings = s.create_account(&ada, "Savings", "EUR").await;
    let editor = s.new_member(&ada, &joint, "editor").await;
    let viewer = s.new_member(&ada, &joint, "viewer").await;
    let target = s.new_member(&ada, &joint, "viewer").await.1;
    for (who, role) in [(&editor.0, "editor"), (&viewer.0, "viewer")] {
        let (_, me, _) = s.get("/v1/me", Some(who)).await;
        let address = str(&me["user"]["email"]);
        let id = s.invite(&ada, &savings, &address, role, who).await;
        let (status, body, _) = s
            .post(
                &format!("/v1/invitations/{id}/accept"),
                Some(who),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (stranger, _) = s.sign_in(&email()).await;
    World {
        s,
        ada,
        joint,
        savings,
        editor,
        viewer,
        target,
        stranger,
    }
}

impl World {
    /// A fresh target for `op` (writes spend theirs) and the URL of `path` on it.
    async fn url(&self, op: &str, path: &str) -> String {
        let s = &self.s;
        let ada = Some(self.ada.as_str());
        let movement = {
            let (status, m, _) = s
                .post(
                    &format!("/v1/accounts/{}/movements", self.joint),
                    ada,
                    json!({"amount": "-1.00", "description": "walk"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{m}");
            str(&m["id"])
        };
        let id = if path.starts_with("/v1/transfers/") {
            let (status, t, _) = s
                .post(
                    "/v1/transfers",
                    ada,
                    json!({"from_account": self.joint, "to_account": self.savings,
                           "amount": "1.00", "description": "walk"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{t}");
            str(&t["id"])
        } else if path.starts_with("/v1/schedules/") {
            let (status, made, _) = s
                .post(
                    "/v1/schedules",
                    ada,
                    json!({"account": self.joint, "amount": "-1.00", "description": "walk",
                           "start": "2026-01-01", "every": "month"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{made}");
            str(&made["id"])
        } else if op == "deleteAccount" {
            // An empty shared account of its own.
            let empty = s
                .create_account(&self.ada, &format!("Empty {}", email()), "EUR")
                .await;
            for (who, role) in [(&self.editor.0, "editor"), (&self.viewer.0, "viewer")] {
                let (_, me, _) = s.get("/v1/me", Some(who)).await;
                let address = str(&me["user"]["email"]);
                let inv = s.invite(&self.ada, &empty, &address, role, who).await;
                s.post(
                    &format!("/v1/invitations/{inv}/accept"),
                    Some(who),
                    json!({}),
                )
                .await;
            }
            empty
        } else {
            self.joint.clone()
        };
        // Deleting a reconciliation spends the latest: the owner makes one first.
        let reconciliation = if op == "deleteReconciliation" {
            let (status, r, _) = s
                .post(
                    &format!("/v1/accounts/{}/reconciliations", self.joint),
                    ada,
                    json!({"date": "2000-01-02", "balance": "0.00"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{r}");
            str(&r["id"])
        } else {
            String::new()
        };
        path.replace("{id}", &id)
            .replace("{rid}", &reconciliation)
            .replace("{mid}", &movement)
            .replace("{user_id}", &self.target)
    }
}

fn body(op: &str) -> Option<Value> {
    Some(match op {
        "addMovement" => json!({"amount": "-1.00", "description": "walk"}),
        "editMovement" => json!({"description": "edited"}),
        "updateAccount" => json!({"name": "Renamed"}),
        "editTransfer" => json!({"amount": "2.00"}),
        "editSchedule" => json!({"description": "edited"}),
        "inviteMember" => json!({"email": email(), "role": "viewer"}),
        "changeMember" => json!({"role": "editor"}),
        // A day before anything the walk writes (a later one is made for the deletes).
        "reconcile" => json!({"date": "2000-01-01", "balance": "0.00"}),
        _ => return None,
    })
}

async fn call(w: &World, method: &str, op: &str, url: &str, token: &str) -> (StatusCode, Value) {
    let mut req =
        w.s.http
            .request(
                method.to_uppercase().parse::<Method>().expect("method"),
                w.s.url(url),
            )
            .bearer_auth(token);
    if let Some(b) = body(op) {
        req = req.json(&b);
    }
    if op == "importStatement" {
        req = req
            .header("content-type", "text/csv")
            .body("date,amount,description\n2026-11-20,-1.00,walk\n");
    }
    let (status, body, _) = server::read(req.send().await.expect("request")).await;
    (status, body)
}

/// Every route of the document on an account, movement, transfer or schedule, as a
/// stranger (404), a viewer (reads 200, everything else 403 /problems/forbidden) and an
/// editor (owner-only routes 403, the rest allowed).
async fn every_route_decides_who_may(s: Server) {
    let (_, doc, _) = s.get("/openapi.json", None).await;
    let w = world(s).await;
    let mut walked = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        let names_one = [
            "/v1/accounts/{id}",
            "/v1/transfers/{id}",
            "/v1/schedules/{id}",
        ]
        .iter()
        .any(|p| path.starts_with(p));
        if !names_one {
            continue;
        }
        for (method, op) in ops.as_object().expect("operations") {
            let op = str(&op["operationId"]);
            let needs = needs(&op).unwrap_or_else(|| {
                panic!("{method} {path} ({op}) has no authorisation expectation: add it to needs()")
            });
            let url = w.url(&op, path).await;
            let (status, answer) = call(&w, method, &op, &url, &w.stranger).await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "stranger {method} {url}: {answer}"
            );
            let (status, answer) = call(&w, method, &op, &url, &w.viewer.0).await;
            if needs == Needs::Read {
                assert_eq!(status, StatusCode::OK, "viewer {method} {url}: {answer}");
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "viewer {method} {url}: {answer}"
                );
                assert_eq!(answer["type"], "/problems/forbidden", "{answer}");
            }
            let (status, answer) = call(&w, method, &op, &url, &w.editor.0).await;
            if needs == Needs::Manage {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "editor {method} {url}: {answer}"
                );
            } else {
                assert!(
                    status.is_success(),
                    "editor {method} {url}: {status} {answer}"
                );
            }
            walked.push(op);
        }
    }
    assert_eq!(walked.len(), 25, "{walked:?}");

    // The routes that name their accounts in the body decide the same way.
    let transfer = json!({"from_account": w.joint, "to_account": w.savings,
                          "amount": "1.00", "description": "walk"});
    let schedule = json!({"account": w.joint, "amount": "-1.00", "description": "walk",
                          "start": "2026-01-01", "every": "month"});
    for (path, body) in [("/v1/transfers", transfer), ("/v1/schedules", schedule)] {
        for (who, expected) in [
            (&w.stranger, StatusCode::NOT_FOUND),
            (&w.viewer.0, StatusCode::FORBIDDEN),
            (&w.editor.0, StatusCode::CREATED),
        ] {
            let (status, answer, _) = w.s.post(path, Some(who), body.clone()).await;
            assert_eq!(status, expected, "POST {path}: {answer}");
        }
    }
    // A transfer needs a writer's role on both accounts: the editor's, to an account they
    // are not a member of, finds nothing; to one they only view, is forbidden.
    let theirs = w.s.create_account(&w.viewer.0, "Theirs", "EUR").await;
    let (_, me, _) = w.s.get("/v1/me", Some(&w.editor.0)).await;
    let editor_address = str(&me["user"]["email"]);
    for (to, expected) in [
        (&theirs, StatusCode::NOT_FOUND),
        (&theirs, StatusCode::FORBIDDEN),
    ] {
        if expected == StatusCode::FORBIDDEN {
            let inv =
                w.s.invite(&w.viewer.0, &theirs, &editor_address, "viewer", &w.editor.0)
                    .await;
            w.s.post(
                &format!("/v1/invitations/{inv}/accept"),
                Some(&w.editor.0),
                json!({}),
            )
            .await;
        }
        let (status, answer, _) =
            w.s.post(
                "/v1/transfers",
                Some(&w.editor.0),
                json!({"from_account": w.joint, "to_account": to, "amount": "1.00",
                       "description": "walk"}),
            )
            .await;
        assert_eq!(status, expected, "{answer}");
    }
}

on_backends!(every_route_decides_who_may);
