//! The web app: server-rendered pages (maud) over the same use cases as the REST routes,
//! with one vendored script (htmx) for "load more"; every form also works as a plain
//! POST. Pages live outside `/v1` and outside the OpenAPI document.
//!
//! maud rather than askama: the templates are Rust expressions, checked and escaped by
//! the compiler like the rest of the crate, and split into functions as code is.

mod account;
mod budgets;
mod charts;
mod form;
mod format;
mod layout;
mod movements;
mod overview;
mod reports;
mod rules;
mod session;
mod settings;
mod sharing;
mod signin;

use warp::http::StatusCode;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;
use warp::{Filter, Rejection};

use crate::context::Ctx;
use crate::routes::Route;
use layout::{Notice, error_page, see};
use session::{BadCsrf, SignInFirst};

/// Scripts and styles from this server only, nothing inline (htmx is told not to add its
/// own style sheet), no framing, forms posting only here.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const HTMX_JS: &str = include_str!("../../web/htmx-4.0.1.min.js");
const APP_CSS: &str = include_str!("../../web/app.css");

/// Every page, its forms and its static files, with the page headers.
pub fn routes(ctx: Ctx) -> Route {
    let pages = signin::routes(ctx.clone())
        .or(overview::routes(ctx.clone()))
        .unify()
        .or(account::routes(ctx.clone()))
        .unify()
        .or(movements::routes(ctx.clone()))
        .unify()
        .or(reports::routes(ctx.clone()))
        .unify()
        .or(budgets::routes(ctx.clone()))
        .unify()
        .or(rules::routes(ctx.clone()))
        .unify()
        .or(sharing::routes(ctx.clone()))
        .unify()
        .or(settings::routes(ctx))
        .unify()
        .or(assets())
        .unify()
        .recover(answer_refusal)
        .unify();
    pages.map(with_page_headers).boxed()
}

/// The refusals the pages answer themselves; every other rejection (an unknown path, a
/// wrong method) goes on to the server's own answer.
async fn answer_refusal(r: Rejection) -> Result<Response, Rejection> {
    if r.find::<SignInFirst>().is_some() {
        return Ok(see("/signin"));
    }
    if r.find::<BadCsrf>().is_some() {
        let notice = Notice::Failed(
            "This form is out of date or came from another site, so nothing was saved. \
             Reload the page and try again."
                .into(),
            Vec::new(),
        );
        return Ok(error_page(None, StatusCode::FORBIDDEN, notice));
    }
    Err(r)
}

fn with_page_headers(mut res: Response) -> Response {
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

fn assets() -> Route {
    let htmx = warp::path!("static" / "htmx-4.0.1.min.js")
        .and(warp::get())
        .map(|| {
            asset(
                HTMX_JS,
                "text/javascript; charset=utf-8",
                "public, max-age=31536000, immutable",
            )
        });
    let css = warp::path!("static" / "app.css")
        .and(warp::get())
        .map(|| asset(APP_CSS, "text/css; charset=utf-8", "public, max-age=300"));
    htmx.or(css).unify().boxed()
}

fn asset(body: &'static str, kind: &'static str, cache: &'static str) -> Response {
    let mut res = Response::new(body.into());
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}
