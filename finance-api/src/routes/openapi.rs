use warp::Filter;
use warp::http::{HeaderValue, header};
use warp::reply::Response;

use super::{Route, boxed};

/// The OpenAPI 3 description of every route; kept beside the code and checked against the
/// running server by the end-to-end tests.
pub const DOCUMENT: &str = include_str!("../../openapi.json");

/// `GET /openapi.json`.
pub(super) fn routes() -> Route {
    boxed(warp::path!("openapi.json").and(warp::get()).map(|| {
        let mut res = Response::new(DOCUMENT.into());
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        res
    }))
}
