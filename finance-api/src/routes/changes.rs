use finance_core::domain::{ChangePage, ChangesQueryInput, UserId};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::endpoint::endpoint;
use super::responses::{InvalidQuery, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{query, signed_in};
use crate::problem::Problem;

/// `GET /changes`: the change feed.
pub(super) fn routes(ctx: Ctx) -> Route {
    boxed(
        endpoint::<__path_list_changes>()
            .and(signed_in(ctx))
            .and(query())
            .then(list_changes),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(list_changes))]
pub(super) struct Doc;

/// What changed since `since`, for everything the user can see (accounts, movements,
/// transfers, schedules, budgets, rates, rules, members), each record once per page in
/// its latest state (`deleted` with `data` null when gone; an account the user left or
/// that was deleted is `deleted` for them, and nothing of it follows). A movement,
/// transfer or member change also lists its account, whose balance or members moved.
/// Without `since`: the current state of everything as `upserted` items, a page at a
/// time, after which `next` goes on from where the feed stood when it began. Keep `next`
/// and ask again: every committed change is seen, in commit order per record, even while
/// writers on several servers commit out of order. A member sees an account's changes
/// from when they joined.
#[utoipa::path(get, path = "/v1/changes", operation_id = "listChanges",
    params(ChangesQueryInput),
    responses(
        (status = 200, description = "A page of changes", body = ChangePage),
        (status = 410, description = "The cursor is older than the changes kept (FINANCE_CHANGES_RETENTION_DAYS, 30 by default): read everything again without `since` (/problems/cursor-expired)", body = Problem, content_type = "application/problem+json"),
        Unauthorized, InvalidQuery,
    ))]
async fn list_changes(ctx: Ctx, user: UserId, q: ChangesQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_changes(user, &q).await
    })
    .await
}
