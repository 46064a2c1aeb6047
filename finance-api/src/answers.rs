//! The shapes of an answer every route gives: JSON with a status, 201 with a `Location`,
//! 204, or the use case's problem. Below the routes and the context, which both use them.

use finance_core::Error;
use serde::Serialize;
use warp::http::StatusCode;
use warp::http::header::{self, HeaderValue};
use warp::reply::{Reply, Response};

use crate::problem::Problem;

/// A JSON answer with `status`.
pub(crate) fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    warp::reply::with_status(warp::reply::json(body), status).into_response()
}

/// 201 with the new record and its `Location`.
pub(crate) fn created<T: Serialize>(body: &T, location: &str) -> Response {
    let mut res = json(StatusCode::CREATED, body);
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// `res`, marked `Idempotency-Replayed: true` when it answers a retry with the first
/// answer again (so clients can tell).
pub(crate) fn replayed(mut res: Response, replayed: bool) -> Response {
    if replayed {
        res.headers_mut()
            .insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    res
}

/// 204 for done work that has nothing to show, or the problem.
pub(crate) fn no_content(result: Result<(), Error>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// The answer to a use case's result: its value as JSON with `status`, or the problem.
pub(crate) fn respond<T: Serialize>(status: StatusCode, result: Result<T, Error>) -> Response {
    match result {
        Ok(body) => json(status, &body),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// 201 with the new record and the `Location` that `location` gives it, or the problem.
pub(crate) fn created_at<T: Serialize>(
    result: Result<T, Error>,
    location: impl FnOnce(&T) -> String,
) -> Response {
    match result {
        Ok(body) => created(&body, &location(&body)),
        Err(e) => Problem::from(e).into_response(),
    }
}
