use finance_core::domain::User;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed, json, respond};
use crate::context::Ctx;
use crate::filters::{json_body, with_ctx};
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
pub(super) fn routes(ctx: Ctx) -> Route {
    let otp = warp::path!("auth" / "otp")
        .and(warp::post())
        .and(with_ctx(ctx.clone()))
        .and(json_body::<CodeRequest>())
        .then(|ctx: Ctx, req: CodeRequest| async move {
            let sent = ctx.run(move |app| async move { app.request_code(&req.email).await }).await;
            let result = sent.map(|()| {
                serde_json::json!({"status": "sent", "detail": "If the address can receive mail, a code is on its way."})
            });
            respond(StatusCode::ACCEPTED, result)
        });
    let token = warp::path!("auth" / "token")
        .and(warp::post())
        .and(with_ctx(ctx))
        .and(json_body::<TokenRequest>())
        .then(|ctx: Ctx, req: TokenRequest| async move {
            let verified = ctx
                .run(move |app| async move { app.verify_code(&req.email, &req.code).await })
                .await;
            match verified {
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
