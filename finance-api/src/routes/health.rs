use std::sync::Arc;

use finance_core::App;
use warp::Filter;
use warp::http::StatusCode;

use super::{Route, boxed, json};

/// `GET /healthz` (the process answers) and `GET /readyz` (every backing service answers).
pub(super) fn routes(app: Arc<App>) -> Route {
    let healthz = warp::path!("healthz")
        .and(warp::get())
        .map(|| json(StatusCode::OK, &serde_json::json!({"status": "ok"})));
    let readyz = warp::path!("readyz").and(warp::get()).then(move || {
        let app = app.clone();
        async move {
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
            let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
            let body = serde_json::json!({"status": if ready { "ok" } else { "unavailable" }, "checks": checks});
            json(status, &body)
        }
    });
    boxed(healthz.or(readyz).unify())
}
