use finance_core::App;
use finance_core::domain::UserId;
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed, respond};
use crate::filters::{authenticated, with_app};

/// `GET /me`: the user, their accounts and totals per currency.
pub(super) fn routes(app: App) -> Route {
    boxed(
        warp::path!("me")
            .and(warp::get())
            .and(with_app(app.clone()))
            .and(authenticated(app))
            .then(|app: App, user: UserId| async move {
                respond(StatusCode::OK, app.get_profile(user).await)
            }),
    )
}
