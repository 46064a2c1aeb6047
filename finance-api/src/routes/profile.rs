use finance_core::domain::{ProfilePatch, ProfileQueryInput, UserId};
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};

/// `GET /me` (the user, their accounts, totals per currency and, with a currency, the net
/// worth in it) and `PATCH /me` (the base currency).
pub(super) fn routes(ctx: Ctx) -> Route {
    let get = warp::path!("me")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<ProfileQueryInput>())
        .then(|ctx: Ctx, user: UserId, q: ProfileQueryInput| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.get_profile(user, &q).await
            })
            .await
        });
    let patch = warp::path!("me")
        .and(warp::patch())
        .and(signed_in(ctx))
        .and(json_body::<ProfilePatch>())
        .then(|ctx: Ctx, user: UserId, patch: ProfilePatch| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.update_profile(user, &patch).await
            })
            .await
        });
    boxed(get.or(patch).unify())
}
