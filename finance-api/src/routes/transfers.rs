use finance_core::domain::{Transfer, TransferId, TransferInput, TransferPatch, UserId};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::endpoint::{endpoint, endpoint1};
use super::responses::{Forbidden, Invalid, JsonBody, NoTransfer, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, signed_in};
use crate::problem::Problem;

/// `POST /transfers` and `GET|PATCH|DELETE /transfers/{id}`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = endpoint::<__path_create_transfer>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body())
        .then(create_transfer);
    let get = endpoint1::<__path_get_transfer, TransferId>()
        .and(signed_in(ctx.clone()))
        .then(get_transfer);
    let edit = endpoint1::<__path_edit_transfer, TransferId>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(edit_transfer);
    let delete = endpoint1::<__path_delete_transfer, TransferId>()
        .and(signed_in(ctx))
        .then(delete_transfer);
    boxed(create.or(get).unify().or(edit).unify().or(delete).unify())
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(create_transfer, get_transfer, edit_transfer, delete_transfer))]
pub(super) struct Doc;

/// Move money between two of your accounts: the source gets -amount, the target
/// +to_amount (required when the currencies differ), both in one transaction.
#[utoipa::path(post, path = "/v1/transfers", operation_id = "createTransfer",
    params(
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first transfer and writes nothing"),
    ),
    request_body = TransferInput,
    responses(
        (status = 201, description = "Made (or, for a retry with the same Idempotency-Key, the first transfer again, with Idempotency-Replayed: true)", body = Transfer,
            headers(("Location" = String, description = "/v1/transfers/{id}"))),
        (status = 404, description = "An account is not this user's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account is archived, a leg is dated on or before its account's latest reconciled day (/problems/reconciled), or the Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid,
    ))]
async fn create_transfer(
    ctx: Ctx,
    user: UserId,
    key: Option<String>,
    input: TransferInput,
) -> Response {
    let made = ctx
        .run(move |app| async move { app.create_transfer(user, &input, key.as_deref()).await })
        .await;
    match made {
        Ok((transfer, replayed)) => crate::answers::replayed(
            super::created(&transfer, &format!("/v1/transfers/{}", transfer.id)),
            replayed,
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// One transfer with its two legs.
#[utoipa::path(get, path = "/v1/transfers/{id}", operation_id = "getTransfer",
    params(("id" = uuid::Uuid, Path, description = "Transfer id")),
    responses(
        (status = 200, description = "The transfer", body = Transfer),
        Unauthorized, NoTransfer,
    ))]
async fn get_transfer(id: TransferId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.get_transfer(user, id).await
    })
    .await
}

/// Change a transfer's amounts, description or date: both legs and both balances in one
/// transaction (the accounts never change). Across currencies, a new amount without a
/// new to_amount keeps what arrived.
#[utoipa::path(patch, path = "/v1/transfers/{id}", operation_id = "editTransfer",
    params(("id" = uuid::Uuid, Path, description = "Transfer id")),
    request_body = TransferPatch,
    responses(
        (status = 200, description = "The transfer as changed", body = Transfer),
        (status = 409, description = "An account is archived, or a leg is reconciled or would move into reconciled days (/problems/reconciled)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "It changed while this change was being made", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoTransfer,
    ))]
async fn edit_transfer(id: TransferId, ctx: Ctx, user: UserId, patch: TransferPatch) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.edit_transfer(user, id, &patch).await
    })
    .await
}

/// Delete a transfer: both legs, and their amounts leave both balances.
#[utoipa::path(delete, path = "/v1/transfers/{id}", operation_id = "deleteTransfer",
    params(("id" = uuid::Uuid, Path, description = "Transfer id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "An account is archived, or a leg is reconciled or would move into reconciled days (/problems/reconciled)", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, NoTransfer,
    ))]
async fn delete_transfer(id: TransferId, ctx: Ctx, user: UserId) -> Response {
    let deleted = ctx
        .run(move |app| async move { app.delete_transfer(user, id).await })
        .await;
    super::no_content(deleted)
}
