use finance_core::domain::{AccountId, Format, UserId};
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{IMPORT_LIMIT, signed_in, text_body};

/// `POST /accounts/{id}/imports`: a bank file as the body (up to 10 MiB, streamed; 413
/// past it), its format from the `Content-Type`, else from its first bytes.
pub(super) fn routes(ctx: Ctx) -> Route {
    boxed(
        warp::path!("accounts" / AccountId / "imports")
            .and(warp::post())
            .and(signed_in(ctx))
            .and(warp::header::optional::<String>("content-type"))
            .and(text_body(IMPORT_LIMIT))
            .then(
                |account: AccountId, ctx: Ctx, user: UserId, kind: Option<String>, file: String| async move {
                    let format = kind
                        .as_deref()
                        .and_then(Format::from_content_type)
                        .or_else(|| Format::guess("", &file))
                        .unwrap_or(Format::Csv);
                    ctx.answer(StatusCode::CREATED, move |app| async move {
                        app.import_statement(user, account, format, file).await
                    })
                    .await
                },
            ),
    )
}
