//! Every route of the API. Handlers parse, call one use case and map its result; the
//! filters in [`crate::filters`] and the mapping in [`crate::problem`] are the only glue.

mod accounts;
mod auth;
mod books;
mod changes;
mod endpoint;
mod export;
mod health;
mod imports;
mod members;
mod movements;
mod openapi;
mod rates;
mod reports;
mod responses;
mod rules;
mod schedules;
mod table;
mod transfers;
mod webhooks;

/// The OpenAPI document the server serves.
pub fn openapi_document() -> &'static str {
    openapi::document()
}
mod profile;

use warp::http::Method;
use warp::http::header::{self, HeaderValue};
use warp::reply::{Reply, Response};
use warp::{Filter, Rejection};

pub(crate) use crate::answers::{created, created_at, json, no_content, respond};
use crate::context::Ctx;
use crate::filters::declares_body;
use crate::problem::{BodyUnread, recover};

pub(crate) type Route = warp::filters::BoxedFilter<(Response,)>;

/// All routes with error recovery, one tracing span per request (with a request id) and a
/// log line per answer (method, path, status, latency).
pub fn routes(
    ctx: Ctx,
) -> impl Filter<Extract = (impl Reply,), Error = std::convert::Infallible> + Clone {
    let v1 = warp::path("v1").and(
        auth::routes(ctx.clone())
            .or(profile::routes(ctx.clone()))
            .unify()
            .or(accounts::routes(ctx.clone()))
            .unify()
            .or(movements::routes(ctx.clone()))
            .unify()
            .or(transfers::routes(ctx.clone()))
            .unify()
            .or(rates::routes(ctx.clone()))
            .unify()
            .or(reports::routes(ctx.clone()))
            .unify()
            .or(schedules::routes(ctx.clone()))
            .unify()
            .or(imports::routes(ctx.clone()))
            .unify()
            .or(members::routes(ctx.clone()))
            .unify()
            .or(rules::routes(ctx.clone()))
            .unify()
            .or(books::routes(ctx.clone()))
            .unify()
            .or(changes::routes(ctx.clone()))
            .unify()
            .or(webhooks::routes(ctx.clone()))
            .unify()
            .or(export::routes(ctx.clone()))
            .unify(),
    );
    let metrics_here = ctx.settings.metrics_on_api;
    let answered = v1
        .or(health::routes(ctx.app.clone()))
        .unify()
        .or(openapi::routes())
        .unify()
        .or(crate::web::routes(ctx.clone()))
        .unify()
        .or(warp::any()
            .and_then(move || async move {
                if metrics_here {
                    Ok(())
                } else {
                    Err(warp::reject::not_found())
                }
            })
            .untuple_one()
            .and(metrics(ctx.app)))
        .unify()
        .recover(recover)
        .unify();
    // CORS is off unless origins are configured: then preflights are answered and the
    // allowed origins get the headers a browser client needs; others are refused (403).
    let answered: Route = match cors(&ctx.settings.cors_origins) {
        Some(cors) => answered
            .with(cors)
            .map(Reply::into_response)
            .recover(recover)
            .unify()
            .boxed(),
        None => answered.boxed(),
    };
    let finished = warp::method()
        .and(declares_body())
        .and(answered)
        .map(close_if_body_unread)
        .recover(recover)
        .unify();
    warp::path::full()
        .and(finished)
        .map(with_security_headers)
        .with(warp::log::custom(|info| {
            crate::metrics::record_request(
                info.method().as_str(),
                table::template(info.path()),
                info.status().as_u16(),
                info.elapsed(),
            );
            tracing::info!(
                method = %info.method(),
                path = info.path(),
                status = info.status().as_u16(),
                latency_ms = info.elapsed().as_secs_f64() * 1000.0,
                "request"
            );
        }))
        .with(warp::trace(|info| {
            let span = tracing::info_span!("request", id = tracing::field::Empty);
            // The id is made only for a span that is kept: at the default level (warn) no
            // request pays for a UUID it would never show.
            if !span.is_disabled() {
                match info
                    .request_headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                {
                    Some(id) => span.record("id", id),
                    None => span.record("id", tracing::field::display(uuid::Uuid::new_v4())),
                };
            }
            span
        }))
}

/// The CORS policy for `origins` (`*` for any), or none when the list is empty.
fn cors(origins: &[String]) -> Option<warp::cors::Builder> {
    if origins.is_empty() {
        return None;
    }
    let builder = warp::cors()
        .allow_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allow_headers([
            "authorization",
            "content-type",
            "idempotency-key",
            "if-match",
        ])
        .expose_headers(["location", "etag", "retry-after", "idempotency-replayed"])
        .max_age(600);
    Some(if origins.iter().any(|o| o == "*") {
        builder.allow_any_origin()
    } else {
        builder.allow_origins(origins.iter().map(String::as_str))
    })
}

/// `GET /metrics`, on the API's listener or on one of its own.
pub fn metrics(app: std::sync::Arc<finance_core::App>) -> Route {
    boxed(
        endpoint::endpoint::<__path_serve_metrics>()
            .map(move || app.clone())
            .then(serve_metrics),
    )
}

/// The metrics route in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(serve_metrics))]
struct MetricsDoc;

/// Prometheus metrics: requests by route template and status, latency histograms, pool
/// use, mail sent and failed, purge counts (served here unless FINANCE_METRICS_BIND gives
/// it a listener of its own).
#[utoipa::path(get, path = "/metrics", operation_id = "metrics", security(()),
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
async fn serve_metrics(app: std::sync::Arc<finance_core::App>) -> Response {
    let mut res = Response::new(crate::metrics::render(&app).into());
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}

/// Only POST, PUT and PATCH routes read a body, and only once the request passed the checks before it
/// (its route, its token). A body left unread makes the server drop the connection after
/// answering whenever the body is larger than what it has buffered; saying so keeps a
/// keep-alive client from sending its next request into a closed socket. Every other
/// answer, errors included, keeps the connection.
fn close_if_body_unread(method: Method, declares_body: bool, mut res: Response) -> Response {
    let reads_body = method == Method::POST || method == Method::PATCH || method == Method::PUT;
    let unread = !reads_body || res.extensions().get::<BodyUnread>().is_some();
    if declares_body && unread {
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    res
}

/// `X-Content-Type-Options: nosniff` on every answer (a browser must not read a JSON or
/// text answer as a script or a page), and `Cache-Control: no-store` on every API answer
/// (a token, a balance or a problem about them must not stay in a shared cache or the
/// browser's history); a route that chose its own caching keeps it. A 405 says which
/// methods the path takes (`Allow`, RFC 9110), as the document lists them.
fn with_security_headers(path: warp::path::FullPath, mut res: Response) -> Response {
    if res.status() == warp::http::StatusCode::METHOD_NOT_ALLOWED
        && let Some(allow) = table::allowed(path.as_str())
    {
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if path.as_str().starts_with("/v1/") && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

pub(crate) fn boxed<F>(filter: F) -> Route
where
    F: Filter<Extract = (Response,), Error = Rejection> + Clone + Send + Sync + 'static,
{
    filter.boxed()
}
