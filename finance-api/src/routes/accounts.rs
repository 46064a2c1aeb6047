use finance_core::domain::{Account, AccountId, AccountInput, AccountList, AccountPatch, UserId};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::endpoint::{endpoint, endpoint1};
use super::responses::{Forbidden, Invalid, JsonBody, NoAccount, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, signed_in};
use crate::problem::Problem;

/// `POST|GET /accounts` and `GET|PATCH|DELETE /accounts/{id}`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = endpoint::<__path_create_account>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(create_account);
    let list = endpoint::<__path_list_accounts>()
        .and(signed_in(ctx.clone()))
        .then(list_accounts);
    let get = endpoint1::<__path_get_account, AccountId>()
        .and(signed_in(ctx.clone()))
        .then(get_account);
    let update = endpoint1::<__path_update_account, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(update_account);
    let delete = endpoint1::<__path_delete_account, AccountId>()
        .and(signed_in(ctx))
        .then(delete_account);
    boxed(
        create
            .or(list)
            .unify()
            .or(get)
            .unify()
            .or(update)
            .unify()
            .or(delete)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_account,
    list_accounts,
    get_account,
    update_account,
    delete_account
))]
pub(super) struct Doc;

/// Open an account.
#[utoipa::path(post, path = "/v1/accounts", operation_id = "createAccount",
    request_body = AccountInput,
    responses(
        (status = 201, description = "Created", body = Account,
            headers(("Location" = String, description = "/v1/accounts/{id}"))),
        (status = 409, description = "The name is already used by this user", body = Problem, content_type = "application/problem+json"),
        Unauthorized, JsonBody, Invalid,
    ))]
async fn create_account(ctx: Ctx, user: UserId, input: AccountInput) -> Response {
    let created = ctx
        .run(move |app| async move { app.create_account(user, &input).await })
        .await;
    super::created_at(created, |a: &Account| format!("/v1/accounts/{}", a.id))
}

/// Every account of the user, archived ones too, ordered by name.
#[utoipa::path(get, path = "/v1/accounts", operation_id = "listAccounts",
    responses(
        (status = 200, description = "The accounts", body = AccountList),
        Unauthorized,
    ))]
async fn list_accounts(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        let items = app.list_accounts(user).await?;
        Ok(AccountList { items })
    })
    .await
}

/// One account with its balance.
#[utoipa::path(get, path = "/v1/accounts/{id}", operation_id = "getAccount",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = Account),
        Unauthorized, NoAccount,
    ))]
async fn get_account(id: AccountId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.get_account(user, id).await
    })
    .await
}

/// Rename, archive or unarchive an account (its currency never changes). An archived
/// account takes no new movements or transfers and still counts in totals.
#[utoipa::path(patch, path = "/v1/accounts/{id}", operation_id = "updateAccount",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    request_body = AccountPatch,
    responses(
        (status = 200, description = "The account as changed", body = Account),
        (status = 409, description = "The name is already used by this user", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoAccount,
    ))]
async fn update_account(id: AccountId, ctx: Ctx, user: UserId, patch: AccountPatch) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.update_account(user, id, &patch).await
    })
    .await
}

/// Delete an account that has no movements (archive one that has).
#[utoipa::path(delete, path = "/v1/accounts/{id}", operation_id = "deleteAccount",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The account has movements", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, NoAccount,
    ))]
async fn delete_account(id: AccountId, ctx: Ctx, user: UserId) -> Response {
    let deleted = ctx
        .run(move |app| async move { app.delete_account(user, id).await })
        .await;
    super::no_content(deleted)
}
