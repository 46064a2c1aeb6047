use std::sync::Arc;

use finance_core::App;
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::endpoint::endpoint;
use super::{Route, boxed, json};

/// `GET /healthz` (the process answers) and `GET /readyz` (every backing service answers).
pub(super) fn routes(app: Arc<App>) -> Route {
    let healthz = endpoint::<__path_health>().then(health);
    let readyz = endpoint::<__path_ready>()
        .map(move || app.clone())
        .then(ready);
    boxed(healthz.or(readyz).unify())
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(health, ready))]
pub(super) struct Doc;

/// The process is up.
#[utoipa::path(get, path = "/healthz", operation_id = "health", security(()),
    responses((status = 200, description = "Up", body = serde_json::Value)))]
async fn health() -> Response {
    json(StatusCode::OK, &serde_json::json!({"status": "ok"}))
}

/// The database and the code store answer.
#[utoipa::path(get, path = "/readyz", operation_id = "ready", security(()),
    responses(
        (status = 200, description = "Ready", body = serde_json::Value),
        (status = 503, description = "A backing service is down", body = serde_json::Value),
    ))]
async fn ready(app: Arc<App>) -> Response {
    let mut checks = serde_json::Map::new();
    let mut ready = true;
    for (name, service) in &app.health {
        let state = match service.ping().await {
            Ok(()) => "ok",
            Err(e) => {
                ready = false;
                tracing::warn!(service = name, error = %e, "readiness check failed");
                "unavailable"
            }
        };
        checks.insert((*name).to_string(), state.into());
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body =
        serde_json::json!({"status": if ready { "ok" } else { "unavailable" }, "checks": checks});
    json(status, &body)
}
