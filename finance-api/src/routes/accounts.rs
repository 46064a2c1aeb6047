use finance_core::domain::{AccountInput, UserId};
use warp::http::{HeaderValue, StatusCode, header};
use warp::{Filter, Reply};

use super::{Route, account_id, boxed, json, respond};
use crate::context::Ctx;
use crate::filters::{authenticated, json_body, with_ctx};
use crate::problem::Problem;

/// `POST /accounts` and `GET /accounts/{id}`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = warp::path!("accounts")
        .and(warp::post())
        .and(with_ctx(ctx.clone()))
        .and(authenticated(ctx.app.clone()))
        .and(json_body::<AccountInput>())
        .then(|ctx: Ctx, user: UserId, input: AccountInput| async move {
            match ctx
                .run(move |app| async move { app.create_account(user, &input).await })
                .await
            {
                Ok(account) => {
                    let mut res = json(StatusCode::CREATED, &account);
                    let location = format!("/v1/accounts/{}", account.id);
                    if let Ok(v) = HeaderValue::from_str(&location) {
                        res.headers_mut().insert(header::LOCATION, v);
                    }
                    res
                }
                Err(e) => Problem::from(e).into_response(),
            }
        });
    let get = warp::path!("accounts" / String)
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(authenticated(ctx.app))
        .then(|id: String, ctx: Ctx, user: UserId| async move {
            let result = match account_id(&id) {
                Ok(id) => {
                    ctx.run(move |app| async move { app.get_account(user, id).await })
                        .await
                }
                Err(e) => Err(e),
            };
            respond(StatusCode::OK, result)
        });
    boxed(create.or(get).unify())
}
