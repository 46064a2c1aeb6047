use finance_core::domain::{TransferId, TransferInput, TransferPatch, UserId};
use warp::http::{HeaderValue, StatusCode};
use warp::{Filter, Reply};

use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, signed_in};
use crate::problem::Problem;

/// `POST /transfers` and `GET|PATCH|DELETE /transfers/{id}`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = warp::path!("transfers")
        .and(warp::post())
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body::<TransferInput>())
        .then(
            |ctx: Ctx, user: UserId, key: Option<String>, input: TransferInput| async move {
                let made = ctx
                    .run(move |app| async move {
                        app.create_transfer(user, &input, key.as_deref()).await
                    })
                    .await;
                match made {
                    Ok((transfer, replayed)) => {
                        let mut res =
                            super::created(&transfer, &format!("/v1/transfers/{}", transfer.id));
                        if replayed {
                            res.headers_mut()
                                .insert("idempotency-replayed", HeaderValue::from_static("true"));
                        }
                        res
                    }
                    Err(e) => Problem::from(e).into_response(),
                }
            },
        );
    let get = warp::path!("transfers" / TransferId)
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .then(|id: TransferId, ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.get_transfer(user, id).await
            })
            .await
        });
    let edit = warp::path!("transfers" / TransferId)
        .and(warp::patch())
        .and(signed_in(ctx.clone()))
        .and(json_body::<TransferPatch>())
        .then(
            |id: TransferId, ctx: Ctx, user: UserId, patch: TransferPatch| async move {
                ctx.answer(StatusCode::OK, move |app| async move {
                    app.edit_transfer(user, id, &patch).await
                })
                .await
            },
        );
    let delete = warp::path!("transfers" / TransferId)
        .and(warp::delete())
        .and(signed_in(ctx))
        .then(|id: TransferId, ctx: Ctx, user: UserId| async move {
            let deleted = ctx
                .run(move |app| async move { app.delete_transfer(user, id).await })
                .await;
            super::no_content(deleted)
        });
    boxed(create.or(get).unify().or(edit).unify().or(delete).unify())
}
