use finance_core::domain::{CodeRequest, SignedIn, TokenRequest};
use finance_core::ports::TokenIdentity;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection, Reply};

use super::endpoint::endpoint;
use super::responses::JsonBody;
use super::{Route, boxed, json, respond};
use crate::context::Ctx;
use crate::filters::{bearer, client_address, json_body, with_ctx};
use crate::problem::Problem;

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
    let otp = endpoint::<__path_request_code>()
        .and(admitted(ctx.clone()))
        .and(json_body())
        .then(request_code);
    let token = endpoint::<__path_verify_code>()
        .and(admitted(ctx.clone()))
        .and(json_body())
        .then(verify_code);
    let logout = endpoint::<__path_logout>()
        .and(with_ctx(ctx.clone()))
        .and(bearer(ctx.app.clone()))
        .then(logout);
    let logout_all = endpoint::<__path_logout_all>()
        .and(with_ctx(ctx.clone()))
        .and(bearer(ctx.app))
        .then(logout_all);
    boxed(
        otp.or(token)
            .unify()
            .or(logout)
            .unify()
            .or(logout_all)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(request_code, verify_code, logout, logout_all))]
pub(super) struct Doc;

/// Mail a 6-digit sign-in code (signup and login).
#[utoipa::path(post, path = "/v1/auth/otp", operation_id = "requestCode", security(()),
    request_body = CodeRequest,
    responses(
        (status = 202, description = "Sent if the address can receive mail; the same answer for known and unknown emails", body = serde_json::Value),
        (status = 422, description = "Invalid email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests: codes asked for this email, code checks for this email (10 per 15 minutes, across codes), or sign-in requests from this client address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Mail or code store unavailable", body = Problem, content_type = "application/problem+json"),
        JsonBody,
    ))]
async fn request_code(ctx: Ctx, req: CodeRequest) -> Response {
    let sent = ctx
        .run(move |app| async move { app.request_code(&req.email).await })
        .await;
    let result = sent.map(|()| {
        serde_json::json!({"status": "sent", "detail": "If the address can receive mail, a code is on its way."})
    });
    respond(StatusCode::ACCEPTED, result)
}

/// Redeem a code for a bearer token; the first success creates the user.
#[utoipa::path(post, path = "/v1/auth/token", operation_id = "verifyCode", security(()),
    request_body = TokenRequest,
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 401, description = "Wrong, expired, used or dead code (one body for all)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests: codes asked for this email, code checks for this email (10 per 15 minutes, across codes), or sign-in requests from this client address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "Code store unavailable", body = Problem, content_type = "application/problem+json"),
        JsonBody,
    ))]
async fn verify_code(ctx: Ctx, req: TokenRequest) -> Response {
    let verified = ctx
        .run(move |app| async move { app.verify_code(&req.email, &req.code).await })
        .await;
    match verified {
        Ok(s) => json(StatusCode::OK, &SignedIn::from(s)),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Sign out the presented token: it is refused on every route from now on.
#[utoipa::path(post, path = "/v1/auth/logout", operation_id = "logout",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The store of sign-outs is unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
async fn logout(ctx: Ctx, token: TokenIdentity) -> Response {
    let result = ctx
        .run(move |app| async move { app.sign_out(&token).await })
        .await;
    super::no_content(result)
}

/// Sign out everywhere: every token of the user issued before now is refused.
#[utoipa::path(post, path = "/v1/auth/logout-all", operation_id = "logoutAll",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The store of sign-outs is unavailable", body = Problem, content_type = "application/problem+json"),
    ))]
async fn logout_all(ctx: Ctx, token: TokenIdentity) -> Response {
    let result = ctx
        .run(move |app| async move { app.sign_out_everywhere(&token).await })
        .await;
    super::no_content(result)
}
