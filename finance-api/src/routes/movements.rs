use finance_core::domain::{
    AccountId, Movement, MovementId, MovementInput, MovementPage, MovementPatch,
    MovementQueryInput, UserId,
};
use finance_core::ports::Added;
use warp::http::{HeaderValue, StatusCode};
use warp::reply::Response;
use warp::{Filter, Reply};

use super::endpoint::{endpoint1, endpoint2};
use super::responses::{
    Forbidden, Invalid, InvalidQuery, JsonBody, NoAccount, NoMovement, Stale, Unauthorized,
};
use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// `GET` and `POST /accounts/{id}/movements`; `GET`, `PATCH` and `DELETE` of one movement.
pub(super) fn routes(ctx: Ctx) -> Route {
    let list = endpoint1::<__path_list_movements, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(list_movements);
    let add = endpoint1::<__path_add_movement, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body())
        .then(add_movement);
    let get = endpoint2::<__path_get_movement, AccountId, MovementId>()
        .and(signed_in(ctx.clone()))
        .then(get_movement);
    let edit = endpoint2::<__path_edit_movement, AccountId, MovementId>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("if-match"))
        .and(json_body())
        .then(edit_movement);
    let delete = endpoint2::<__path_delete_movement, AccountId, MovementId>()
        .and(signed_in(ctx))
        .and(warp::header::optional::<String>("if-match"))
        .then(delete_movement);
    boxed(
        list.or(add)
            .unify()
            .or(get)
            .unify()
            .or(edit)
            .unify()
            .or(delete)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_movements,
    add_movement,
    get_movement,
    edit_movement,
    delete_movement
))]
pub(super) struct Doc;

/// Movements, newest first, with keyset pagination.
#[utoipa::path(get, path = "/v1/accounts/{id}/movements", operation_id = "listMovements",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        MovementQueryInput,
    ),
    responses(
        (status = 200, description = "A page", body = MovementPage),
        Unauthorized, InvalidQuery, NoAccount,
    ))]
async fn list_movements(id: AccountId, ctx: Ctx, user: UserId, q: MovementQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_movements(user, id, &q).await
    })
    .await
}

/// Record income (positive) or an expense (negative).
#[utoipa::path(post, path = "/v1/accounts/{id}/movements", operation_id = "addMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first answer and writes nothing"),
    ),
    request_body = MovementInput,
    responses(
        (status = 201, description = "Recorded (or, for a retry with the same Idempotency-Key, the first answer again, with Idempotency-Replayed: true)", body = Movement),
        (status = 409, description = "Idempotency-Key already used with another body, the account is archived, or the date is on or before its latest reconciled day (/problems/reconciled)", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoAccount,
    ))]
async fn add_movement(
    id: AccountId,
    ctx: Ctx,
    user: UserId,
    key: Option<String>,
    input: MovementInput,
) -> Response {
    let added = ctx
        .run(move |app| async move { app.add_movement(user, id, &input, key.as_deref()).await })
        .await;
    match added {
        Ok(Added::Created { movement, .. }) => with_etag(StatusCode::CREATED, &movement),
        Ok(Added::Replayed { movement }) => {
            crate::answers::replayed(with_etag(StatusCode::CREATED, &movement), true)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// One movement, with its ETag.
#[utoipa::path(get, path = "/v1/accounts/{id}/movements/{mid}", operation_id = "getMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("mid" = uuid::Uuid, Path, description = "Movement id"),
    ),
    responses(
        (status = 200, description = "The movement", body = Movement,
            headers(("ETag" = String, description = "Its state, for If-Match"))),
        Unauthorized, NoMovement,
    ))]
async fn get_movement(account: AccountId, id: MovementId, ctx: Ctx, user: UserId) -> Response {
    let found = ctx
        .run(move |app| async move { app.get_movement(user, account, id).await })
        .await;
    answer(StatusCode::OK, found)
}

/// Correct a movement; the balance moves by the difference in the same transaction.
/// `category: null` clears the category. A transfer leg is changed through its transfer.
#[utoipa::path(patch, path = "/v1/accounts/{id}/movements/{mid}", operation_id = "editMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("mid" = uuid::Uuid, Path, description = "Movement id"),
        ("If-Match" = Option<String>, Header, description = "The ETag it was read with; any other state is 412"),
    ),
    request_body = MovementPatch,
    responses(
        (status = 200, description = "The movement as changed", body = Movement,
            headers(("ETag" = String, description = "Its new state"))),
        (status = 409, description = "A transfer leg, the account is archived, or the movement is reconciled or would move into reconciled days (/problems/reconciled)", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoMovement, Stale,
    ))]
async fn edit_movement(
    account: AccountId,
    id: MovementId,
    ctx: Ctx,
    user: UserId,
    tag: Option<String>,
    patch: MovementPatch,
) -> Response {
    let edited = ctx
        .run(move |app| async move {
            app.edit_movement(user, account, id, &patch, tag.as_deref())
                .await
        })
        .await;
    answer(StatusCode::OK, edited)
}

/// Delete a movement; its amount leaves the balance in the same transaction.
#[utoipa::path(delete, path = "/v1/accounts/{id}/movements/{mid}", operation_id = "deleteMovement",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("mid" = uuid::Uuid, Path, description = "Movement id"),
        ("If-Match" = Option<String>, Header, description = "The ETag it was read with; any other state is 412"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "A transfer leg, the account is archived, or the movement is reconciled or would move into reconciled days (/problems/reconciled)", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, NoMovement, Stale,
    ))]
async fn delete_movement(
    account: AccountId,
    id: MovementId,
    ctx: Ctx,
    user: UserId,
    tag: Option<String>,
) -> Response {
    let deleted = ctx
        .run(move |app| async move { app.delete_movement(user, account, id, tag.as_deref()).await })
        .await;
    super::no_content(deleted)
}

/// A single movement, with its `ETag` for a later `If-Match`.
fn with_etag(status: StatusCode, movement: &Movement) -> Response {
    let mut res = json(status, movement);
    if let Ok(tag) = HeaderValue::from_str(&movement.etag()) {
        res.headers_mut().insert(warp::http::header::ETAG, tag);
    }
    res
}

fn answer(status: StatusCode, result: Result<Movement, finance_core::Error>) -> Response {
    match result {
        Ok(movement) => with_etag(status, &movement),
        Err(e) => Problem::from(e).into_response(),
    }
}
