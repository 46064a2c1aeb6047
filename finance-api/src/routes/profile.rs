use finance_core::domain::{Profile, ProfilePatch, ProfileQueryInput, UserId};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::endpoint::endpoint;
use super::responses::{Invalid, InvalidQuery, JsonBody, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// `GET /me` (the user, their accounts, totals per currency and, with a currency, the net
/// worth in it) and `PATCH /me` (the base currency).
pub(super) fn routes(ctx: Ctx) -> Route {
    let get = endpoint::<__path_get_profile>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(get_profile);
    let patch = endpoint::<__path_update_profile>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(update_profile);
    let delete = endpoint::<__path_delete_me>()
        .and(signed_in(ctx))
        .then(delete_me);
    boxed(get.or(patch).unify().or(delete).unify())
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(get_profile, update_profile, delete_me))]
pub(super) struct Doc;

/// The user, all accounts with balances, totals per currency, and with a currency to
/// convert to (`currency`, else the base currency) the net worth in it: each balance
/// converted at the rates of `as_of`, rounded half to even per account; currencies
/// without a usable rate are named in `missing` and left out of the amount.
#[utoipa::path(get, path = "/v1/me", operation_id = "getProfile",
    params(ProfileQueryInput),
    responses(
        (status = 200, description = "The profile", body = Profile),
        Unauthorized, InvalidQuery,
    ))]
async fn get_profile(ctx: Ctx, user: UserId, q: ProfileQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.get_profile(user, &q).await
    })
    .await
}

/// Set (or with null clear) the base currency the net worth is shown in.
#[utoipa::path(patch, path = "/v1/me", operation_id = "updateProfile",
    request_body = ProfilePatch,
    responses(
        (status = 200, description = "The profile as GET /v1/me answers it", body = Profile),
        Unauthorized, JsonBody, Invalid,
    ))]
async fn update_profile(ctx: Ctx, user: UserId, patch: ProfilePatch) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.update_profile(user, &patch).await
    })
    .await
}

/// Delete the signed-in user for good: every account they own with its movements,
/// transfers, schedules and bank-file keys, their rates and budgets; every token of theirs
/// is refused from now on, and mail kept for them is removed; their memberships of others'
/// accounts end (what they recorded there stays). Refused while an account they own has
/// other members. Signing in again with the same email starts a new, empty user.
#[utoipa::path(delete, path = "/v1/me", operation_id = "deleteMe",
    responses(
        (status = 204, description = "Deleted; the token used is refused from now on"),
        (status = 409, description = "An account the user owns has other members: hand it over or remove them first", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn delete_me(ctx: Ctx, user: UserId) -> Response {
    let deleted = ctx
        .run(move |app| async move { app.delete_me(user).await })
        .await;
    super::no_content(deleted)
}
