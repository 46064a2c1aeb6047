use finance_core::domain::{MovementInput, MovementQueryInput, UserId};
use finance_core::ports::Added;
use warp::http::{HeaderValue, StatusCode};
use warp::{Filter, Reply};

use super::{Route, account_id, boxed, json, respond};
use crate::context::Ctx;
use crate::filters::{authenticated, json_body, query, with_ctx};
use crate::problem::Problem;

/// `GET` and `POST /accounts/{id}/movements`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let list = warp::path!("accounts" / String / "movements")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(authenticated(ctx.app.clone()))
        .and(query::<MovementQueryInput>())
        .then(
            |id: String, ctx: Ctx, user: UserId, q: MovementQueryInput| async move {
                let result = match account_id(&id) {
                    Ok(id) => {
                        ctx.run(move |app| async move { app.list_movements(user, id, &q).await })
                            .await
                    }
                    Err(e) => Err(e),
                };
                respond(StatusCode::OK, result)
            },
        );
    let add = warp::path!("accounts" / String / "movements")
        .and(warp::post())
        .and(with_ctx(ctx.clone()))
        .and(authenticated(ctx.app))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body::<MovementInput>())
        .then(
            |id: String, ctx: Ctx, user: UserId, key: Option<String>, input: MovementInput| async move {
                let result = match account_id(&id) {
                    Ok(id) => {
                        ctx.run(move |app| async move {
                            app.add_movement(user, id, &input, key.as_deref()).await
                        })
                        .await
                    }
                    Err(e) => Err(e),
                };
                match result {
                    Ok(Added::Created { movement, .. }) => json(StatusCode::CREATED, &movement),
                    // A retry gets the first answer again, marked so clients can tell.
                    Ok(Added::Replayed { movement }) => {
                        let mut res = json(StatusCode::CREATED, &movement);
                        res.headers_mut().insert("idempotency-replayed", HeaderValue::from_static("true"));
                        res
                    }
                    Err(e) => Problem::from(e).into_response(),
                }
            },
        );
    boxed(list.or(add).unify())
}
