//! The REST server: warp routes over [`finance_core::App`]. Routes only parse, call a use
//! case and map the result; every rule lives in the core.

pub mod filters;
pub mod problem;
pub mod routes;

use finance_core::App;
use finance_core::config::{Config, LogFormat};
use tokio::net::TcpListener;

/// Sets up logging as configured. Call once, before anything logs.
pub fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

/// Serves `app` on `listener` until SIGINT or SIGTERM, then lets in-flight requests end.
pub async fn serve(app: App, listener: TcpListener) {
    warp::serve(routes::routes(app))
        .incoming(listener)
        .graceful(shutdown_signal())
        .run()
        .await;
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down: finishing in-flight requests");
}
