//! Every route of the API.

use finance_core::App;
use warp::Filter;
use warp::http::StatusCode;

/// All routes, ready to serve.
pub fn routes(
    app: App,
) -> impl Filter<Extract = (impl warp::Reply,), Error = std::convert::Infallible> + Clone {
    let healthz = warp::path!("healthz")
        .and(warp::get())
        .map(|| warp::reply::json(&serde_json::json!({"status": "ok"})));
    let readyz = warp::path!("readyz").and(warp::get()).then(move || {
        let app = app.clone();
        async move {
            let mut checks = serde_json::Map::new();
            let mut ready = true;
            for (name, service) in &app.health {
                let state = match service.ping().await {
                    Ok(()) => "ok".to_string(),
                    Err(e) => {
                        ready = false;
                        tracing::warn!(service = name, error = %e, "readiness check failed");
                        "unavailable".to_string()
                    }
                };
                checks.insert((*name).to_string(), state.into());
            }
            let status = if ready {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            warp::reply::with_status(warp::reply::json(&checks), status)
        }
    });
    healthz
        .or(readyz)
        .recover(|_rejection: warp::Rejection| async {
            Ok::<_, std::convert::Infallible>(warp::reply::with_status(
                warp::reply::json(&serde_json::json!({"status": 404, "title": "Not Found"})),
                StatusCode::NOT_FOUND,
            ))
        })
}
