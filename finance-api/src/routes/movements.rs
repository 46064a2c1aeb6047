use finance_core::domain::{
    AccountId, Movement, MovementId, MovementInput, MovementPatch, MovementQueryInput, UserId,
};
use finance_core::ports::Added;
use warp::http::{HeaderValue, StatusCode};
use warp::{Filter, Reply};

use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// `GET` and `POST /accounts/{id}/movements`; `GET`, `PATCH` and `DELETE` of one movement.
pub(super) fn routes(ctx: Ctx) -> Route {
    let list = warp::path!("accounts" / AccountId / "movements")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<MovementQueryInput>())
        .then(
            |id: AccountId, ctx: Ctx, user: UserId, q: MovementQueryInput| async move {
                ctx.answer(StatusCode::OK, move |app| async move {
                    app.list_movements(user, id, &q).await
                })
                .await
            },
        );
    let add =
        warp::path!("accounts" / AccountId / "movements")
            .and(warp::post())
            .and(signed_in(ctx.clone()))
            .and(warp::header::optional::<String>("idempotency-key"))
            .and(json_body::<MovementInput>())
            .then(
                |id: AccountId,
                 ctx: Ctx,
                 user: UserId,
                 key: Option<String>,
                 input: MovementInput| async move {
                    let added = ctx
                        .run(move |app| async move {
                            app.add_movement(user, id, &input, key.as_deref()).await
                        })
                        .await;
                    match added {
                        Ok(Added::Created { movement, .. }) => {
                            with_etag(StatusCode::CREATED, &movement)
                        }
                        // A retry gets the first answer again, marked so clients can tell.
                        Ok(Added::Replayed { movement }) => {
                            let mut res = with_etag(StatusCode::CREATED, &movement);
                            res.headers_mut()
                                .insert("idempotency-replayed", HeaderValue::from_static("true"));
                            res
                        }
                        Err(e) => Problem::from(e).into_response(),
                    }
                },
            );
    let one = warp::path!("accounts" / AccountId / "movements" / MovementId);
    let get = one.and(warp::get()).and(signed_in(ctx.clone())).then(
        |account: AccountId, id: MovementId, ctx: Ctx, user: UserId| async move {
            let found = ctx
                .run(move |app| async move { app.get_movement(user, account, id).await })
                .await;
            answer(StatusCode::OK, found)
        },
    );
    let edit = one
        .and(warp::patch())
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("if-match"))
        .and(json_body::<MovementPatch>())
        .then(
            |account: AccountId,
             id: MovementId,
             ctx: Ctx,
             user: UserId,
             tag: Option<String>,
             patch: MovementPatch| async move {
                let edited = ctx
                    .run(move |app| async move {
                        app.edit_movement(user, account, id, &patch, tag.as_deref())
                            .await
                    })
                    .await;
                answer(StatusCode::OK, edited)
            },
        );
    let delete =
        one.and(warp::delete())
            .and(signed_in(ctx))
            .and(warp::header::optional::<String>("if-match"))
            .then(
                |account: AccountId,
                 id: MovementId,
                 ctx: Ctx,
                 user: UserId,
                 tag: Option<String>| async move {
                    let deleted = ctx
                        .run(move |app| async move {
                            app.delete_movement(user, account, id, tag.as_deref()).await
                        })
                        .await;
                    super::no_content(deleted)
                },
            );
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

/// A single movement, with its `ETag` for a later `If-Match`.
fn with_etag(status: StatusCode, movement: &Movement) -> warp::reply::Response {
    let mut res = json(status, movement);
    if let Ok(tag) = HeaderValue::from_str(&movement.etag()) {
        res.headers_mut().insert(warp::http::header::ETAG, tag);
    }
    res
}

fn answer(
    status: StatusCode,
    result: Result<Movement, finance_core::Error>,
) -> warp::reply::Response {
    match result {
        Ok(movement) => with_etag(status, &movement),
        Err(e) => Problem::from(e).into_response(),
    }
}
