//! The glue every route shares, written once: the application, the bearer token, a JSON
//! body that is bounded, parsed and checked for unknown fields, and the query string.

use bytes::{Buf, Bytes, BytesMut};
use finance_core::App;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use finance_core::domain::{UserId, ValidationError};
use finance_core::ports::TokenIdentity;

use crate::connections::PeerAddr;
use crate::context::Ctx;
use crate::input;
use crate::strict_json::{self, StrictError};
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use warp::{Filter, Rejection};

use crate::problem::Problem;

pub use crate::limits::{BODY_LIMIT, IMPORT_LIMIT};

pub fn with_ctx(
    ctx: Ctx,
) -> impl Filter<Extract = (Ctx,), Error = std::convert::Infallible> + Clone {
    warp::any().map(move || ctx.clone())
}

/// The context and the signed-in user: what every authenticated handler starts from.
pub fn signed_in(ctx: Ctx) -> impl Filter<Extract = (Ctx, UserId), Error = Rejection> + Clone {
    with_ctx(ctx.clone()).and(authenticated(ctx.app))
}

/// The user of a valid `Authorization: Bearer <token>`; anything else is a 401.
pub fn authenticated(app: Arc<App>) -> impl Filter<Extract = (UserId,), Error = Rejection> + Clone {
    bearer(app).map(|token: TokenIdentity| token.user)
}

/// The valid, not signed-out token of `Authorization: Bearer <token>`; anything else is a
/// 401 with one body, whatever was wrong: no header, two of them (which one would count is
/// a guess a proxy and this server could make differently), or one that is not text.
pub fn bearer(app: Arc<App>) -> impl Filter<Extract = (TokenIdentity,), Error = Rejection> + Clone {
    warp::header::headers_cloned().and_then(move |headers: warp::http::HeaderMap| {
        let app = app.clone();
        async move {
            let mut values = headers.get_all(warp::http::header::AUTHORIZATION).iter();
            let token = match (values.next(), values.next()) {
                (Some(one), None) => one.to_str().ok(),
                _ => None,
            }
            .and_then(|h| h.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .ok_or_else(|| warp::reject::custom(Problem::unauthorized()))?;
            app.authenticate(token)
                .await
                .map_err(|e| warp::reject::custom(Problem::from(e)))
        }
    })
}

/// The client's IP address: the peer's, or with `trust_proxy` the last address of
/// `X-Forwarded-For` (the one the trusted proxy in front appended; earlier ones are
/// whatever the client claimed).
pub fn client_address(
    trust_proxy: bool,
) -> impl Filter<Extract = (String,), Error = std::convert::Infallible> + Clone {
    warp::ext::optional::<PeerAddr>()
        .map(|peer: Option<PeerAddr>| peer.map(|p| p.0))
        .and(warp::header::optional::<String>("x-forwarded-for"))
        .map(move |peer: Option<SocketAddr>, forwarded: Option<String>| {
            let forwarded = forwarded
                .filter(|_| trust_proxy)
                .and_then(|f| f.rsplit(',').next().map(|a| a.trim().to_string()))
                .and_then(|a| a.parse::<IpAddr>().ok());
            match (forwarded, peer) {
                (Some(ip), _) => ip.to_string(),
                (None, Some(peer)) => peer.ip().to_string(),
                (None, None) => "unknown".to_string(),
            }
        })
        .or(warp::any().map(|| "unknown".to_string()))
        .unify()
}

/// A JSON body of type `T`: sent as JSON (415 otherwise), at most [`BODY_LIMIT`] bytes
/// (413), well-formed (400), and of the right shape with no unknown or repeated fields
/// (422, naming the field).
pub fn json_body<T: DeserializeOwned + Send>()
-> impl Filter<Extract = (T,), Error = Rejection> + Clone {
    sent_as_json()
        .and(bounded_body())
        .and_then(|body: Bytes| async move {
            parse_json(&body).map_err(|p| warp::reject::custom(p.after_reading_body()))
        })
}

/// Passes a request whose `Content-Type` is `application/json` or `application/…+json`
/// (any parameters); anything else, or none, is a 415. Taking any type let a page on
/// another site post JSON as `text/plain`, a "simple" request no CORS preflight stops.
fn sent_as_json() -> impl Filter<Extract = (), Error = Rejection> + Clone {
    warp::header::value("content-type")
        .map(Some)
        .or(warp::any().map(|| None))
        .unify()
        .and_then(|kind: Option<warp::http::HeaderValue>| async move {
            let essence = kind
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .map(|v| v.trim().to_ascii_lowercase());
            match essence {
                Some(e)
                    if e == "application/json"
                        || (e.starts_with("application/") && e.ends_with("+json")) =>
                {
                    Ok(())
                }
                _ => Err(warp::reject::custom(Problem::unsupported_media_type(
                    "This route reads JSON: send it with Content-Type: application/json.",
                ))),
            }
        })
        .untuple_one()
}

/// An uploaded text file of at most `limit` bytes (413 past it), which must be UTF-8
/// (else 400).
pub fn text_body(limit: usize) -> impl Filter<Extract = (String,), Error = Rejection> + Clone {
    bounded_body_of(limit).and_then(|body: Bytes| async move {
        String::from_utf8(body.to_vec()).map_err(|_| {
            warp::reject::custom(
                Problem::malformed("The file is not UTF-8 text.").after_reading_body(),
            )
        })
    })
}

fn bounded_body() -> impl Filter<Extract = (Bytes,), Error = Rejection> + Clone {
    bounded_body_of(BODY_LIMIT)
}

/// The body, refused as soon as it is known to exceed `limit`: by its declared length,
/// or while streaming when the length is not declared.
pub(crate) fn bounded_body_of(
    limit: usize,
) -> impl Filter<Extract = (Bytes,), Error = Rejection> + Clone {
    warp::header::optional::<u64>("content-length")
        .and_then(move |len: Option<u64>| async move {
            match len {
                Some(n) if n > limit as u64 => Err(warp::reject::custom(Problem::too_large(limit))),
                _ => Ok(()),
            }
        })
        .untuple_one()
        .and(warp::body::stream())
        .and_then(move |stream| collect_bounded(stream, limit))
}

/// Whether the request declares a body: a length above zero or a transfer coding. A header
/// too odd to read counts as a body, the safe side for [`crate::routes::routes`]' use.
pub fn declares_body() -> impl Filter<Extract = (bool,), Error = std::convert::Infallible> + Clone {
    warp::header::optional::<u64>("content-length")
        .and(warp::header::optional::<String>("transfer-encoding"))
        .map(|len: Option<u64>, coding: Option<String>| {
            len.is_some_and(|n| n > 0) || coding.is_some()
        })
        .or(warp::any().map(|| true))
        .unify()
}

async fn collect_bounded<S, B>(stream: S, limit: usize) -> Result<Bytes, Rejection>
where
    S: futures_util::Stream<Item = Result<B, warp::Error>>,
    B: Buf,
{
    let mut stream = Box::pin(stream);
    let mut body = BytesMut::new();
    while let Some(mut chunk) = stream
        .try_next()
        .await
        .map_err(|_| warp::reject::custom(Problem::malformed("The body could not be read.")))?
    {
        if body.len() + chunk.remaining() > limit {
            return Err(warp::reject::custom(Problem::too_large(limit)));
        }
        while chunk.has_remaining() {
            let part = chunk.chunk();
            body.extend_from_slice(part);
            let n = part.len();
            chunk.advance(n);
        }
    }
    Ok(body.freeze())
}

/// `body` as `T`: malformed JSON is a 400; a document of the wrong shape a 422 naming the
/// field (see [`crate::input`]).
pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let value = strict_json::parse(body).map_err(|e| match e {
        StrictError::Syntax(e) => Problem::malformed(format!("The body is not valid JSON: {e}")),
        StrictError::Duplicate(field) => misfit_problem(input::Misfit {
            field,
            message: "is given more than once".into(),
        }),
    })?;
    // Every body this API reads is an object; serde would also fill a struct from an
    // array (`[null, null]` read as a patch that changes nothing).
    if !value.is_object() {
        return Err(misfit_problem(input::Misfit {
            field: "body".into(),
            message: "must be a JSON object".into(),
        }));
    }
    input::from_json(value).map_err(misfit_problem)
}

fn misfit_problem(m: input::Misfit) -> Problem {
    Problem::validation(ValidationError::new(m.field, m.message).errors)
}

/// The query string as `T`, treating a missing one as empty; unknown or malformed
/// parameters are a 422 naming the parameter.
pub fn query<T: DeserializeOwned + Send + 'static>()
-> impl Filter<Extract = (T,), Error = Rejection> + Clone {
    warp::query::raw()
        .or(warp::any().map(String::new))
        .unify()
        .and_then(|raw: String| async move {
            let pairs = form_urlencoded::parse(raw.as_bytes())
                .into_owned()
                .collect();
            input::from_pairs(pairs).map_err(|m| warp::reject::custom(misfit_problem(m)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use finance_core::domain::MovementInput;

    #[test]
    fn json_errors_name_the_field() {
        let p = parse_json::<MovementInput>(br#"{"amount": 12.5, "description": "x"}"#)
            .expect_err("number");
        assert_eq!(p.status.as_u16(), 422);
        assert_eq!(p.errors[0].field, "amount");
        let p = parse_json::<MovementInput>(br#"{"amount": "1", "description": "x", "evil": 1}"#)
            .expect_err("unknown");
        assert_eq!(p.errors[0].field, "evil");
        let p = parse_json::<MovementInput>(br#"{"amount": "1"}"#).expect_err("missing");
        assert_eq!(p.errors[0].field, "description");
        let p = parse_json::<MovementInput>(br#"{"amount": "1", "#).expect_err("syntax");
        assert_eq!(p.status.as_u16(), 400);
        let p = parse_json::<MovementInput>(br#"{"amount": "1", "description": "x"} trailing"#)
            .expect_err("trailing");
        assert_eq!(p.status.as_u16(), 400);
    }
}
