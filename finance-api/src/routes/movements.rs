use finance_core::domain::{AccountId, MovementInput, MovementQueryInput, UserId};
use finance_core::ports::Added;
use warp::http::{HeaderValue, StatusCode};
use warp::{Filter, Reply};

use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// `GET` and `POST /accounts/{id}/movements`.
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
            .and(signed_in(ctx))
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
                        Ok(Added::Created { movement, .. }) => json(StatusCode::CREATED, &movement),
                        // A retry gets the first answer again, marked so clients can tell.
                        Ok(Added::Replayed { movement }) => {
                            let mut res = json(StatusCode::CREATED, &movement);
                            res.headers_mut()
                                .insert("idempotency-replayed", HeaderValue::from_static("true"));
                            res
                        }
                        Err(e) => Problem::from(e).into_response(),
                    }
                },
            );
    boxed(list.or(add).unify())
}
