use finance_core::domain::{
    AccountId, BalanceQueryInput, DayBalance, HistoryPage, HistoryQueryInput, Reconciliation,
    ReconciliationId, ReconciliationInput, ReconciliationList, UserId,
};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::{Reply, Response};

use super::endpoint::{endpoint1, endpoint2};
use super::responses::{
    Forbidden, InvalidQuery, JsonBody, NoAccount, NoReconciliation, Unauthorized,
};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// Reconciling and history: `/accounts/{id}/reconciliations[/{rid}]`, `/balance`,
/// `/history`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let reconcile = endpoint1::<__path_reconcile, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body())
        .then(reconcile);
    let list = endpoint1::<__path_list_reconciliations, AccountId>()
        .and(signed_in(ctx.clone()))
        .then(list_reconciliations);
    let delete = endpoint2::<__path_delete_reconciliation, AccountId, ReconciliationId>()
        .and(signed_in(ctx.clone()))
        .then(delete_reconciliation);
    let balance = endpoint1::<__path_balance_on, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(balance_on);
    let history = endpoint1::<__path_account_history, AccountId>()
        .and(signed_in(ctx))
        .and(query())
        .then(account_history);
    boxed(
        reconcile
            .or(list)
            .unify()
            .or(delete)
            .unify()
            .or(balance)
            .unify()
            .or(history)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    reconcile,
    list_reconciliations,
    delete_reconciliation,
    balance_on,
    account_history
))]
pub(super) struct Doc;

/// Reconcile the account with a bank statement's closing balance. When the account's
/// balance at the end of `date` equals `balance`, the reconciliation is recorded and every
/// movement dated on or before `date` becomes `reconciled`: it cannot be changed or deleted,
/// and nothing new (movement, transfer leg, import row, schedule date) may be dated on or
/// before the latest reconciled date. Otherwise 422 `/problems/unreconciled` with
/// `difference` (statement less ledger), and nothing changes. Owner or editor.
#[utoipa::path(post, path = "/v1/accounts/{id}/reconciliations", operation_id = "reconcile",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first reconciliation and writes nothing"),
    ),
    request_body = ReconciliationInput,
    responses(
        (status = 201, description = "Reconciled (or, for a retry with the same Idempotency-Key, the first answer again, with Idempotency-Replayed: true)", body = Reconciliation,
            headers(("Location" = String, description = "/v1/accounts/{id}/reconciliations/{rid}"))),
        (status = 409, description = "The date is on or before the latest reconciled date (/problems/reconciled), the account is archived, or the Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (/problems/validation-error; a date after today), or the balance that day differs from the statement's (/problems/unreconciled, with `difference`)", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, NoAccount,
    ))]
async fn reconcile(
    id: AccountId,
    ctx: Ctx,
    user: UserId,
    key: Option<String>,
    input: ReconciliationInput,
) -> Response {
    let done = ctx
        .run(move |app| async move { app.reconcile(user, id, &input, key.as_deref()).await })
        .await;
    match done {
        Ok((r, replayed)) => crate::answers::replayed(
            crate::answers::created(&r, &format!("/v1/accounts/{id}/reconciliations/{}", r.id)),
            replayed,
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// The account's reconciliations, newest first. Any member.
#[utoipa::path(get, path = "/v1/accounts/{id}/reconciliations", operation_id = "listReconciliations",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "The reconciliations", body = ReconciliationList),
        Unauthorized, NoAccount,
    ))]
async fn list_reconciliations(id: AccountId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_reconciliations(user, id).await
    })
    .await
}

/// Delete the latest reconciliation, unlocking exactly what it locked; an older one is
/// 409 `/problems/reconciled`. Owner or editor.
#[utoipa::path(delete, path = "/v1/accounts/{id}/reconciliations/{rid}", operation_id = "deleteReconciliation",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("rid" = uuid::Uuid, Path, description = "Reconciliation id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Not the latest reconciliation (/problems/reconciled), or the account is archived", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, NoReconciliation,
    ))]
async fn delete_reconciliation(
    id: AccountId,
    rid: ReconciliationId,
    ctx: Ctx,
    user: UserId,
) -> Response {
    let done = ctx
        .run(move |app| async move { app.delete_reconciliation(user, id, rid).await })
        .await;
    crate::answers::no_content(done)
}

/// The account's balance at the end of a day: its balance less the movements dated
/// after. Any member.
#[utoipa::path(get, path = "/v1/accounts/{id}/balance", operation_id = "balanceOn",
    params(("id" = uuid::Uuid, Path, description = "Account id"), BalanceQueryInput),
    responses(
        (status = 200, description = "The balance", body = DayBalance),
        Unauthorized, InvalidQuery, NoAccount,
    ))]
async fn balance_on(id: AccountId, ctx: Ctx, user: UserId, q: BalanceQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.balance_on(user, id, q.on.as_deref()).await
    })
    .await
}

/// Every change to the account's records (the account, its movements, transfers,
/// members, schedules, reconciliations and imports), newest first, each with who made it
/// and the record before and after as this API writes it. Append-only: kept when a record
/// is deleted, gone with the account. Any member.
#[utoipa::path(get, path = "/v1/accounts/{id}/history", operation_id = "accountHistory",
    params(("id" = uuid::Uuid, Path, description = "Account id"), HistoryQueryInput),
    responses(
        (status = 200, description = "A page of changes", body = HistoryPage),
        Unauthorized, InvalidQuery, NoAccount,
    ))]
async fn account_history(id: AccountId, ctx: Ctx, user: UserId, q: HistoryQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.account_history(user, id, &q).await
    })
    .await
}
