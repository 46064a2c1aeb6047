use finance_core::App;
use finance_core::domain::User;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed, json, respond};
use crate::filters::{json_body, with_app};
use crate::problem::Problem;
use warp::Reply;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequest {
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    email: String,
    code: String,
}

#[derive(Serialize)]
struct TokenResponse {
    token: String,
    token_type: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    user: User,
}

/// `POST /auth/otp` and `POST /auth/token`.
pub(super) fn routes(app: App) -> Route {
    let otp = warp::path!("auth" / "otp")
        .and(warp::post())
        .and(with_app(app.clone()))
        .and(json_body::<CodeRequest>())
        .then(|app: App, req: CodeRequest| async move {
            let result = app.request_code(&req.email).await.map(|()| {
                serde_json::json!({"status": "sent", "detail": "If the address can receive mail, a code is on its way."})
            });
            respond(StatusCode::ACCEPTED, result)
        });
    let token = warp::path!("auth" / "token")
        .and(warp::post())
        .and(with_app(app))
        .and(json_body::<TokenRequest>())
        .then(|app: App, req: TokenRequest| async move {
            match app.verify_code(&req.email, &req.code).await {
                Ok(s) => json(
                    StatusCode::OK,
                    &TokenResponse {
                        token: s.token.token,
                        token_type: "Bearer",
                        expires_at: s.token.expires_at,
                        user: s.user,
                    },
                ),
                Err(e) => Problem::from(e).into_response(),
            }
        });
    boxed(otp.or(token).unify())
}
