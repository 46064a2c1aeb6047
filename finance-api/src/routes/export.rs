use std::convert::Infallible;

use finance_core::domain::{ExportQueryInput, UserId};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use warp::Filter;
use warp::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderValue};
use warp::reply::{Reply, Response};

use super::endpoint::endpoint;
use super::responses::{InvalidQuery, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{query, signed_in};
use crate::problem::Problem;

/// Chunks of the journal waiting for the client: the export reads on only as fast as
/// the client takes them.
const IN_FLIGHT: usize = 4;

/// `GET /export`.
pub(super) fn routes(ctx: Ctx) -> Route {
    boxed(
        endpoint::<__path_export_journal>()
            .and(signed_in(ctx))
            .and(query())
            .then(export_journal),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(export_journal))]
pub(super) struct Doc;

/// Your books as a plaintext-accounting journal: every account you can see (`assets:…`,
/// declared with its commodity), each movement a balanced transaction against
/// `expenses:<category>` or `income:<category>` (`…:Uncategorized` without one; one posting
/// per part of a split), transfers between two asset accounts (across currencies at the
/// total that arrived, `@@`), rates as price directives, each reconciliation as a balance
/// assertion, the movement's id, author and tags as metadata. Account and category names
/// are mapped to what every tool accepts; the mapping is in comments at the top. With
/// `from`, each account's balance before it is one opening transaction against
/// `equity:opening-balances`. Streamed: any number of movements.
#[utoipa::path(get, path = "/v1/export", operation_id = "exportJournal",
    params(ExportQueryInput),
    responses(
        (status = 200, description = "The journal", content_type = "text/plain", body = String),
        Unauthorized, InvalidQuery,
    ))]
async fn export_journal(ctx: Ctx, user: UserId, input: ExportQueryInput) -> Response {
    let ready = ctx
        .run(move |app| async move { app.journal(user, &input).await })
        .await;
    let journal = match ready {
        Ok(j) => j,
        Err(e) => return Problem::from(e).into_response(),
    };
    let file = journal.file_name();
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(IN_FLIGHT);
    // The writing outlives this handler; a client that hangs up closes the channel and
    // the writing stops at its next chunk.
    tokio::spawn(async move {
        if let Err(e) = journal.write(tx).await {
            tracing::warn!(error = %e, "the journal export failed midway");
        }
    });
    let body = ReceiverStream::new(rx).map(Ok::<_, Infallible>);
    let mut res = warp::reply::stream(body).into_response();
    let headers = res.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    res
}
