//! Browser sessions. Signing in stores the same PASETO token the API hands out in an
//! `HttpOnly` cookie, so a session ends exactly as a token does (sign out, sign out
//! everywhere, account removal), on every server, with no session table of its own.
//! Every form carries a CSRF token: for a session, a hash of its token (a page from
//! another site can neither read the cookie nor compute it); before signing in, a random
//! value also set as a cookie (double submit).

use finance_core::domain::UserId;
use finance_core::ports::TokenIdentity;
use rand::RngExt;
use sha2::{Digest, Sha256};
use warp::http::HeaderMap;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Rejection};

use super::form::Form;
use crate::context::Ctx;

const SESSION_COOKIE: &str = "finance_session";
const ANONYMOUS_COOKIE: &str = "finance_csrf";

/// A signed-in browser: the token's identity and the CSRF token of its forms.
#[derive(Clone, Debug)]
pub struct Session {
    pub identity: TokenIdentity,
    pub csrf: String,
}

impl Session {
    pub fn user(&self) -> UserId {
        self.identity.user
    }
}

/// No valid session: the page answers with the sign-in form.
#[derive(Debug)]
pub struct SignInFirst;
impl warp::reject::Reject for SignInFirst {}

/// A form without the CSRF token of its session: 403, nothing written.
#[derive(Debug)]
pub struct BadCsrf;
impl warp::reject::Reject for BadCsrf {}

/// The CSRF token of the session whose token is `token`.
fn csrf_of(token: &str) -> String {
    let digest = Sha256::digest(format!("finance-csrf\0{token}").as_bytes());
    hex::encode(&digest[..16])
}

/// The value of the cookie `name`, from every `Cookie` header.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// The session of the request's cookie, if it is valid and not signed out.
pub fn optional_session(
    ctx: Ctx,
) -> impl Filter<Extract = (Option<Session>,), Error = std::convert::Infallible> + Clone {
    warp::header::headers_cloned().then(move |headers: HeaderMap| {
        let ctx = ctx.clone();
        async move {
            let token = cookie(&headers, SESSION_COOKIE)?;
            let checked = token.clone();
            let identity = ctx
                .run(move |app| async move { app.authenticate(&checked).await })
                .await
                .ok()?;
            Some(Session {
                identity,
                csrf: csrf_of(&token),
            })
        }
    })
}

/// The session, or [`SignInFirst`].
pub fn session(ctx: Ctx) -> impl Filter<Extract = (Session,), Error = Rejection> + Clone {
    optional_session(ctx).and_then(|s: Option<Session>| async move {
        s.ok_or_else(|| warp::reject::custom(SignInFirst))
    })
}

/// A signed-in form post: the session and the form, whose `csrf` field must be the
/// session's ([`BadCsrf`] otherwise, before anything runs).
pub fn posted(ctx: Ctx) -> impl Filter<Extract = (Session, Form), Error = Rejection> + Clone {
    warp::post()
        .and(session(ctx))
        .and(super::form::form())
        .and_then(|s: Session, form: Form| async move {
            if form.get("csrf") == Some(s.csrf.as_str()) {
                Ok((s, form))
            } else {
                Err(warp::reject::custom(BadCsrf))
            }
        })
        .untuple_one()
}

/// A form posted before signing in: its `csrf` field must equal the cookie set with the
/// page that showed it.
pub fn posted_anonymously() -> impl Filter<Extract = (Form,), Error = Rejection> + Clone {
    warp::post()
        .and(warp::header::headers_cloned())
        .and(super::form::form())
        .and_then(|headers: HeaderMap, form: Form| async move {
            match (cookie(&headers, ANONYMOUS_COOKIE), form.get("csrf")) {
                (Some(expected), Some(sent)) if !expected.is_empty() && expected == sent => {
                    Ok(form)
                }
                _ => Err(warp::reject::custom(BadCsrf)),
            }
        })
}

/// The CSRF token of a sign-in form: the cookie's if the browser has one, else a new one
/// (set by [`set_anonymous_csrf`]).
pub fn anonymous_csrf() -> impl Filter<Extract = (String,), Error = std::convert::Infallible> + Clone
{
    warp::header::headers_cloned().map(|headers: HeaderMap| {
        cookie(&headers, ANONYMOUS_COOKIE)
            .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
            .unwrap_or_else(|| hex::encode(rand::rng().random::<[u8; 16]>()))
    })
}

/// Whether cookies are sent over HTTPS only: always, unless the browser talks to a
/// loopback address (the development default, plain HTTP).
pub fn secure_for() -> impl Filter<Extract = (bool,), Error = std::convert::Infallible> + Clone {
    warp::header::optional::<String>("host")
        .or(warp::any().map(|| None))
        .unify()
        .map(|host: Option<String>| secure_host(host.as_deref().unwrap_or_default()))
}

fn secure_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    !(name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()))
}

fn set_cookie(res: &mut Response, name: &str, value: &str, max_age: i64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let line =
        format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}");
    if let Ok(v) = HeaderValue::from_str(&line) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Sets the sign-in form's CSRF cookie (an hour is long enough to read a mail).
pub fn set_anonymous_csrf(res: &mut Response, value: &str, secure: bool) {
    set_cookie(res, ANONYMOUS_COOKIE, value, 3600, secure);
}

/// Starts the session of `token` until it expires, and drops the sign-in cookie.
pub fn start(res: &mut Response, token: &str, seconds: i64, secure: bool) {
    set_cookie(res, SESSION_COOKIE, token, seconds.max(0), secure);
    set_cookie(res, ANONYMOUS_COOKIE, "", 0, secure);
}

/// Forgets the session in this browser (the token itself is revoked by the use case).
pub fn end(res: &mut Response, secure: bool) {
    set_cookie(res, SESSION_COOKIE, "", 0, secure);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_token_depends_on_the_session_token_only() {
        assert_eq!(csrf_of("a"), csrf_of("a"));
        assert_ne!(csrf_of("a"), csrf_of("b"));
        assert_eq!(csrf_of("a").len(), 32);
    }

    #[test]
    fn cookies_are_read_from_every_header_and_pair() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; b=2"));
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("finance_session=t"),
        );
        assert_eq!(cookie(&headers, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("t"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn cookies_are_secure_unless_the_host_is_loopback() {
        for (host, secure) in [
            ("127.0.0.1:8080", false),
            ("localhost:8080", false),
            ("[::1]:8080", false),
            ("finance.example.com", true),
            ("10.0.0.1:8080", true),
            ("[2001:db8::1]:443", true),
        ] {
            assert_eq!(secure_host(host), secure, "{host}");
        }
    }
}
