//! The one place where failures become HTTP answers: `application/problem+json` bodies
//! (RFC 9457) with the statuses of the design.

use std::convert::Infallible;

use finance_core::Error;
use finance_core::domain::{FieldError, ProblemDetails};
use serde::Serialize;
use warp::http::{HeaderValue, StatusCode, header};
use warp::reply::{Reply, Response};

/// Every problem `type` the API answers with besides the refusals (409), each listed in
/// `/openapi.json`; [`problem_types`] adds those.
const OTHER_TYPES: [&str; 15] = [
    "/problems/malformed-request",
    "/problems/validation-error",
    "/problems/not-found",
    "/problems/unauthorized",
    "/problems/forbidden",
    "/problems/method-not-allowed",
    "/problems/unsupported-media-type",
    "/problems/payload-too-large",
    "/problems/internal",
    "/problems/precondition-failed",
    "/problems/invalid-code",
    "/problems/rate-limited",
    "/problems/unavailable",
    "/problems/unreconciled",
    "/problems/cursor-expired",
];

/// Every problem `type` the API answers with.
pub fn problem_types() -> impl Iterator<Item = &'static str> {
    OTHER_TYPES
        .into_iter()
        .chain(finance_core::domain::Refusal::ALL.map(|r| r.problem_type()))
}

/// A failure as the client sees it, written as the core's [`ProblemDetails`] (which the
/// remote client reads back).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub kind: &'static str,
    pub title: &'static str,
    pub status: StatusCode,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<i64>,
    /// A statement's balance less the ledger's (`/problems/unreconciled`).
    /// (Boxed: a `Result<_, Problem>` stays small.)
    pub difference: Option<Box<str>>,
    /// Whether the request's whole body was read before this problem was found (a body
    /// that failed to parse): then the connection can stay open.
    pub body_read: bool,
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ProblemDetails {
            kind: self.kind.into(),
            title: self.title.into(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: self.errors.clone(),
            difference: self.difference.as_deref().map(str::to_string),
        }
        .serialize(s)
    }
}

/// The document describes a problem by the form it is written in.
impl utoipa::PartialSchema for Problem {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <ProblemDetails as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for Problem {
    fn name() -> std::borrow::Cow<'static, str> {
        <ProblemDetails as utoipa::ToSchema>::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <ProblemDetails as utoipa::ToSchema>::schemas(schemas)
    }
}

/// Marks an answer given before the request's body (if any) was read; the top-level
/// filter then closes the connection when the request declared a body.
#[derive(Debug, Clone, Copy)]
pub struct BodyUnread;

impl warp::reject::Reject for Problem {}

impl Problem {
    fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            title,
            status,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            difference: None,
            body_read: false,
        }
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "/problems/malformed-request",
            "Malformed request",
            detail,
        )
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/validation-error",
                "Invalid input",
                "Some fields are invalid; see `errors`. Nothing was written.",
            )
        }
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "/problems/not-found",
            "Not found",
            "There is nothing at this address.",
        )
    }

    /// Every token failure has this one body, whatever was wrong with the token.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "/problems/unauthorized",
            "Unauthorized",
            "Send a valid bearer token: Authorization: Bearer <token> (POST /v1/auth/token).",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "/problems/forbidden",
            "Forbidden",
            detail,
        )
    }

    fn with_difference(self, difference: String) -> Self {
        Self {
            difference: Some(difference.into_boxed_str()),
            ..self
        }
    }

    /// The same problem, found after the whole body was read.
    pub fn after_reading_body(self) -> Self {
        Self {
            body_read: true,
            ..self
        }
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "/problems/method-not-allowed",
            "Method not allowed",
            "This address does not take that method.",
        )
    }

    /// A body of a type the route does not read.
    pub fn unsupported_media_type(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "/problems/unsupported-media-type",
            "Unsupported media type",
            detail,
        )
    }

    /// A body over `limit` bytes.
    pub fn too_large(limit: usize) -> Self {
        let limit = if limit >= 1024 * 1024 {
            format!("{} MiB", limit / (1024 * 1024))
        } else {
            format!("{} KiB", limit / 1024)
        };
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "/problems/payload-too-large",
            "Payload too large",
            format!("Request bodies are limited to {limit} on this route."),
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "/problems/internal",
            "Internal error",
            "Something went wrong on our side; it has been logged.",
        )
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Self {
        match e {
            Error::Invalid(v) => Problem::validation(v.errors),
            Error::NotFound => Problem::not_found(),
            Error::Forbidden => Problem::forbidden(
                "Your role on this account does not allow this (viewers read; editors write \
                 movements, transfers, schedules and imports; the owner does the rest).",
            ),
            // Each rule its own type: clients branch on it, never on the text.
            Error::Conflict(why) => Problem::new(
                StatusCode::CONFLICT,
                why.problem_type(),
                why.title(),
                why.to_string(),
            ),
            Error::Unreconciled { difference } => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "/problems/unreconciled",
                "Statement does not match",
                format!(
                    "The statement's balance differs from the ledger's that day by \
                     {difference} (`difference`: statement less ledger). Nothing was written."
                ),
            )
            .with_difference(difference),
            Error::CursorExpired => Problem::new(
                StatusCode::GONE,
                "/problems/cursor-expired",
                "Cursor expired",
                "The changes after this cursor are no longer kept; read everything again \
                 (without `since`).",
            ),
            Error::PreconditionFailed => Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "/problems/precondition-failed",
                "Precondition failed",
                "The record has changed since the ETag you sent (If-Match); read it again.",
            ),
            // One body for wrong, expired, used and dead codes: the client learns nothing
            // about which.
            Error::InvalidCode => Problem::new(
                StatusCode::UNAUTHORIZED,
                "/problems/invalid-code",
                "Invalid code",
                "The code is wrong, expired or already used. Ask for a new one.",
            ),
            Error::InvalidToken(reason) => {
                tracing::debug!(%reason, "token refused");
                Problem::unauthorized()
            }
            Error::RateLimited(wait) => {
                let secs = (wait.whole_milliseconds() + 999).div_euclid(1000).max(1);
                let secs = i64::try_from(secs).unwrap_or(i64::MAX);
                Problem {
                    retry_after: Some(secs),
                    ..Problem::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "/problems/rate-limited",
                        "Too many requests",
                        format!("Too many requests; try again in {secs} seconds."),
                    )
                }
            }
            Error::Unavailable(cause) => {
                // The one place the chain is logged, whole.
                tracing::warn!(cause = %cause.chain(), "backing service unavailable");
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "/problems/unavailable",
                    "Service unavailable",
                    "A service this request needs is unavailable; try again shortly.",
                )
            }
            Error::Internal(cause) => {
                tracing::error!(cause = %cause.chain(), "internal error");
                Problem::internal()
            }
            // A case the core added after this map: logged whole, a bare failure outside.
            other => {
                tracing::error!(error = %other.chain(), "an error this server does not map");
                Problem::internal()
            }
        }
    }
}

impl Reply for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = Response::new(body.into());
        *res.status_mut() = self.status;
        let headers = res.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        res
    }
}

/// Turns whatever a filter rejected with into a problem answer.
pub async fn recover(rejection: warp::Rejection) -> Result<Response, Infallible> {
    let problem = if let Some(p) = rejection.find::<Problem>() {
        p.clone()
    } else if rejection.is_not_found() {
        Problem::not_found()
    } else if rejection.find::<warp::reject::MethodNotAllowed>().is_some() {
        Problem::method_not_allowed()
    } else if rejection.find::<warp::reject::PayloadTooLarge>().is_some() {
        Problem::too_large(crate::limits::BODY_LIMIT)
    } else if let Some(h) = rejection.find::<warp::reject::InvalidHeader>() {
        Problem::malformed(format!("The {} header is invalid.", h.name()))
    } else if let Some(c) = rejection.find::<warp::cors::CorsForbidden>() {
        Problem::forbidden(c.to_string())
    } else {
        tracing::error!(?rejection, "unhandled rejection");
        Problem::internal()
    };
    let body_read = problem.body_read;
    let mut res = problem.into_response();
    // A rejected request's body may be unread, and then the server drops the connection
    // after answering; the top-level filter says so when the request had a body.
    if !body_read {
        res.extensions_mut().insert(BodyUnread);
    }
    Ok(res)
}
