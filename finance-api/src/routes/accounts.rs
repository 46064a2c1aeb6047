use finance_core::App;
use finance_core::domain::{AccountInput, UserId};
use warp::http::{HeaderValue, StatusCode, header};
use warp::{Filter, Reply};

use super::{Route, account_id, boxed, json, respond};
use crate::filters::{authenticated, json_body, with_app};
use crate::problem::Problem;

/// `POST /accounts` and `GET /accounts/{id}`.
pub(super) fn routes(app: App) -> Route {
    let create = warp::path!("accounts")
        .and(warp::post())
        .and(with_app(app.clone()))
        .and(authenticated(app.clone()))
        .and(json_body::<AccountInput>())
        .then(|app: App, user: UserId, input: AccountInput| async move {
            match app.create_account(user, &input).await {
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
        .and(with_app(app.clone()))
        .and(authenticated(app))
        .then(|id: String, app: App, user: UserId| async move {
            let result = match account_id(&id) {
                Ok(id) => app.get_account(user, id).await,
                Err(e) => Err(e),
            };
            respond(StatusCode::OK, result)
        });
    boxed(create.or(get).unify())
}
