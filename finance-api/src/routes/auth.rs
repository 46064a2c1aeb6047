use finance_core::domain::User;
use finance_core::ports::TokenIdentity;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use warp::http::StatusCode;
use warp::{Filter, Rejection, Reply};

use super::{Route, boxed, json, respond};
use crate::context::Ctx;
use crate::filters::{bearer, client_address, json_body, with_ctx};
use crate::problem::Problem;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CodeRequest {
    #[schema(schema_with = finance_core::domain::schemas::email)]
    email: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TokenRequest {
    #[schema(schema_with = finance_core::domain::schemas::email)]
    email: String,
    #[schema(schema_with = finance_core::domain::schemas::code)]
    code: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct TokenResponse {
    token: String,
    #[schema(example = "Bearer")]
    token_type: &'static str,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    user: User,
}

/// Sign-in requests per client address are limited before anything else is read, so a
/// flood from one address costs one counter each.
fn admitted(ctx: Ctx) -> impl Filter<Extract = (Ctx,), Error = Rejection> + Clone {
    with_ctx(ctx.clone())
        .and(client_address(ctx.settings.trust_proxy))
        .and_then(|ctx: Ctx, address: String| async move {
            let admitted = ctx
                .run(move |app| async move { app.admit_client(&address).await })
                .await;
            admitted
                .map(|()| ctx)
                .map_err(|e| warp::reject::custom(Problem::from(e)))
        })
}

/// `POST /auth/otp`, `POST /auth/token`, `POST /auth/logout` and `POST /auth/logout-all`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let otp = warp::path!("auth" / "otp")
        .and(warp::post())
        .and(admitted(ctx.clone()))
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
        .and(admitted(ctx.clone()))
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
    let logout = warp::path!("auth" / "logout")
        .and(warp::post())
        .and(with_ctx(ctx.clone()))
        .and(bearer(ctx.app.clone()))
        .then(|ctx: Ctx, token: TokenIdentity| async move {
            let result = ctx
                .run(move |app| async move { app.sign_out(&token).await })
                .await;
            super::no_content(result)
        });
    let logout_all = warp::path!("auth" / "logout-all")
        .and(warp::post())
        .and(with_ctx(ctx.clone()))
        .and(bearer(ctx.app))
        .then(|ctx: Ctx, token: TokenIdentity| async move {
            let result = ctx
                .run(move |app| async move { app.sign_out_everywhere(&token).await })
                .await;
            super::no_content(result)
        });
    boxed(
        otp.or(token)
            .unify()
            .or(logout)
            .unify()
            .or(logout_all)
            .unify(),
    )
}
