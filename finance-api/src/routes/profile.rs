use finance_core::domain::UserId;
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::signed_in;

/// `GET /me`: the user, their accounts and totals per currency.
pub(super) fn routes(ctx: Ctx) -> Route {
    boxed(warp::path!("me").and(warp::get()).and(signed_in(ctx)).then(
        |ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.get_profile(user).await
            })
            .await
        },
    ))
}
