//! The requests: the token, a JSON body, headers, and problem answers read back into the
//! core's [`Error`]s.

use std::time::Duration as StdDuration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use finance_core::error::Error;
use finance_core::ports::{Cause, TokenError};

use super::RemoteFinance;
use finance_core::domain::{ProblemDetails, Refusal, ValidationError};

/// The server answered something this client does not understand.
pub(super) fn bad_answer(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(Cause::from(format!(
        "unexpected answer from the server ({what}): {e}"
    )))
}

pub(super) fn client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(StdDuration::from_secs(5))
        .timeout(StdDuration::from_secs(30))
        .build()
        .map_err(|e| Error::Internal(Cause::of(e)))
}

/// Sends a request and reads a JSON answer, mapping problems to [`Error`]s.
pub(super) async fn call<T: DeserializeOwned>(
    base: &str,
    req: reqwest::RequestBuilder,
) -> Result<(T, reqwest::header::HeaderMap), Error> {
    let res = req.send().await.map_err(|e| {
        Error::Unavailable(Cause::from(format!(
            "cannot reach the server at {base}: {}",
            root_cause(&e)
        )))
    })?;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.map_err(|e| {
        Error::Unavailable(Cause::from(format!("reading the answer from {base}: {e}")))
    })?;
    if status.is_success() {
        // 204 has no body: read as JSON null, which is what `()` expects.
        let body: &[u8] = if status == StatusCode::NO_CONTENT {
            b"null"
        } else {
            &bytes
        };
        let value = serde_json::from_slice(body).map_err(|e| bad_answer("body", e))?;
        return Ok((value, headers));
    }
    Err(problem(base, status, &headers, &bytes))
}

/// The error a problem answer stands for.
pub(super) fn problem(
    base: &str,
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    bytes: &[u8],
) -> Error {
    let problem: ProblemDetails = serde_json::from_slice(bytes).unwrap_or_default();
    match status {
        StatusCode::UNPROCESSABLE_ENTITY if problem.kind == "/problems/unreconciled" => {
            Error::Unreconciled {
                difference: problem.difference.unwrap_or_default(),
            }
        }
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            let errors = if problem.errors.is_empty() {
                ValidationError::new("request", problem.detail).errors
            } else {
                problem.errors
            };
            Error::Invalid(ValidationError { errors })
        }
        StatusCode::UNAUTHORIZED => Error::InvalidToken(TokenError::Refused),
        StatusCode::NOT_FOUND => Error::NotFound,
        StatusCode::FORBIDDEN => Error::Forbidden,
        // Which rule refused it, by its problem type (never its text).
        StatusCode::CONFLICT => match Refusal::from_problem_type(&problem.kind) {
            Some(why) => Error::Conflict(why),
            None => Error::Internal(Cause::from(format!(
                "{base} refused with {:?}: {}",
                problem.kind, problem.detail
            ))),
        },
        StatusCode::PRECONDITION_FAILED => Error::PreconditionFailed,
        StatusCode::GONE => Error::CursorExpired,
        StatusCode::TOO_MANY_REQUESTS => {
            let secs = headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(60);
            Error::RateLimited(time::Duration::seconds(secs))
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            Error::Unavailable(Cause::from(format!("{base}: {}", problem.detail)))
        }
        other => Error::Internal(Cause::from(format!(
            "{base} answered {other}: {}",
            problem.detail
        ))),
    }
}

/// `text` as one path segment: whatever a person typed cannot reach another route.
pub(super) fn segment(text: &str) -> String {
    text.trim()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => char::from(b).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The innermost cause: "Connection refused" says more than "error sending request".
pub(super) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

impl RemoteFinance {
    pub(super) async fn send<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        key: Option<&str>,
    ) -> Result<T, Error> {
        let headers: Vec<(&str, &str)> = key.map(|k| ("Idempotency-Key", k)).into_iter().collect();
        self.send_with(method, path, body, &headers).await
    }

    /// `GET path?query`, the query string made from `query`.
    pub(super) async fn get_query<T: DeserializeOwned, Q: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T, Error> {
        let qs = query_string(query)?;
        self.send(Method::GET, &format!("{path}?{qs}"), None, None)
            .await
    }

    /// A request with the token, a JSON body if given, and these headers.
    pub(super) async fn send_with<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Result<T, Error> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(b);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        call(&self.base, req).await.map(|(v, _)| v)
    }
}

/// `query` as a query string: each field once, a list field once per value (`tag=a&tag=b`,
/// as the server reads repeated parameters), absent and null fields left out.
pub(super) fn query_string<Q: serde::Serialize + ?Sized>(query: &Q) -> Result<String, Error> {
    let value = serde_json::to_value(query).map_err(|e| Error::Internal(Cause::of(e)))?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let serde_json::Value::Object(fields) = value {
        for (name, v) in fields {
            let values = match v {
                serde_json::Value::Array(items) => items,
                one => vec![one],
            };
            for item in values {
                match item {
                    serde_json::Value::Null => {}
                    serde_json::Value::String(s) => pairs.push((name.clone(), s)),
                    other => pairs.push((name.clone(), other.to_string())),
                }
            }
        }
    }
    serde_urlencoded::to_string(&pairs).map_err(|e| Error::Internal(Cause::of(e)))
}

#[cfg(test)]
mod query_tests {
    #[test]
    fn lists_repeat_and_nulls_stay_out() {
        let q = finance_core::domain::MovementQueryInput {
            q: Some("a b".into()),
            tag: vec!["trip".into(), "food".into()],
            ..Default::default()
        };
        assert_eq!(
            super::query_string(&q).expect("query"),
            "q=a+b&tag=trip&tag=food"
        );
    }
}
