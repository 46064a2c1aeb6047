use finance_core::domain::UserId;
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed, respond};
use crate::context::Ctx;
use crate::filters::{authenticated, with_ctx};

/// `GET /me`: the user, their accounts and totals per currency.
pub(super) fn routes(ctx: Ctx) -> Route {
    boxed(
        warp::path!("me")
            .and(warp::get())
            .and(with_ctx(ctx.clone()))
            .and(authenticated(ctx.app))
            .then(|ctx: Ctx, user: UserId| async move {
                let result = ctx
                    .run(move |app| async move { app.get_profile(user).await })
                    .await;
                respond(StatusCode::OK, result)
            }),
    )
}
