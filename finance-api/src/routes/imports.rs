use finance_core::domain::{AccountId, Format, Imported, JournalImported, UserId};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::endpoint::{endpoint, endpoint1};
use super::responses::{File, Forbidden, NoAccount, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{IMPORT_LIMIT, signed_in, text_body};
use crate::problem::Problem;

/// `POST /accounts/{id}/imports`: a bank file as the body (up to 10 MiB, streamed; 413
/// past it), its format from the `Content-Type`, else from its first bytes.
/// `POST /imports/journal`: a journal as the body, within the same bound.
pub(super) fn routes(ctx: Ctx) -> Route {
    let statement = endpoint1::<__path_import_statement, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("content-type"))
        .and(text_body(IMPORT_LIMIT))
        .then(import_statement);
    let journal = endpoint::<__path_import_journal>()
        .and(signed_in(ctx))
        .and(text_body(IMPORT_LIMIT))
        .then(import_journal);
    boxed(statement.or(journal).unify())
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(import_statement, import_journal))]
pub(super) struct Doc;

/// Import a bank file into an account: every row or none. CSV (`date,amount,description
/// [,category]`, or named columns with `id` and `currency`), OFX/QFX, QIF or camt.053, by
/// the Content-Type (else from the file's first bytes). A row imported before (the same
/// bank id: OFX FITID, camt.053 AcctSvcrRef or NtryRef, a CSV `id`; else the same date,
/// amount, description and rank among equal rows) is a duplicate, not added again.
#[utoipa::path(post, path = "/v1/accounts/{id}/imports", operation_id = "importStatement",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    request_body(content = inline(File), content_type = "text/csv",
        description = "The file, at most 10 MiB: text/csv, application/x-ofx, application/vnd.camt+xml or application/qif"),
    responses(
        (status = 201, description = "Imported", body = Imported),
        (status = 400, description = "Not UTF-8 text", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is archived, or a new row is dated on or before its latest reconciled day (/problems/reconciled)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows: each error has its `line`", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, NoAccount,
    ))]
async fn import_statement(
    account: AccountId,
    ctx: Ctx,
    user: UserId,
    kind: Option<String>,
    file: String,
) -> Response {
    let format = kind
        .as_deref()
        .and_then(Format::from_content_type)
        .or_else(|| Format::guess("", &file))
        .unwrap_or(Format::Csv);
    ctx.answer(StatusCode::CREATED, move |app| async move {
        app.import_statement(user, account, format, file).await
    })
    .await
}

/// Import a plaintext-accounting journal into new accounts: hledger's syntax (which this
/// service's ledger export also reads as) or Beancount's, told from the text. An account
/// per asset or liability account (named as an export of this service named it, from its
/// header), a movement per transaction on one of them (its other postings give the
/// category, or the splits), a transfer per transaction between two, a reconciliation per
/// balance assertion of a day's closing balance. Everything or nothing.
#[utoipa::path(post, path = "/v1/imports/journal", operation_id = "importJournal",
    request_body(content = inline(File), content_type = "text/plain",
        description = "The journal, at most 10 MiB"),
    responses(
        (status = 201, description = "Imported", body = JournalImported),
        (status = 400, description = "Not UTF-8 text", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account name taken meanwhile (/problems/name-taken)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Lines that do not read, balances that do not hold, or an account name already used: each error has its `line`", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn import_journal(ctx: Ctx, user: UserId, text: String) -> Response {
    ctx.answer(StatusCode::CREATED, move |app| async move {
        app.import_journal(user, None, text).await
    })
    .await
}
