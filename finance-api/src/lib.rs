//! The REST server: warp routes over [`finance_core::App`]. Routes only parse, call a use
//! case and map the result; every rule lives in the core.

mod answers;
pub mod connections;
pub mod context;
pub mod filters;
pub mod input;
pub mod limits;
pub mod metrics;
pub mod problem;
pub mod routes;
mod strict_json;
pub mod web;

use std::time::Duration;

use finance_core::App;
use finance_core::config::{Config, LogFormat};
use tokio::net::TcpListener;

pub use context::{Ctx, Settings};

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

/// How often the server purges records whose time is over.
const PURGE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Serves `app` on `listener` with default [`Settings`] until SIGINT or SIGTERM.
pub async fn serve(app: App, listener: TcpListener) {
    serve_with(app, Settings::default(), listener).await
}

/// Serves `app` on `listener` until SIGINT or SIGTERM, then lets in-flight requests end.
/// Meanwhile it purges expired records, at start and then hourly.
pub async fn serve_with(app: App, settings: Settings, listener: TcpListener) {
    metrics::init();
    let housekeeping = tokio::spawn(purge_periodically(app.clone(), PURGE_EVERY));
    let deliveries = tokio::spawn(deliver_webhooks(app.clone()));
    let limits = settings.connections.clone();
    let routes = warp::service(routes::routes(Ctx::new(app, settings)));
    connections::serve(routes, listener, limits, shutdown_signal()).await;
    housekeeping.abort();
    deliveries.abort();
}

/// How often each server looks for webhook deliveries that are due.
const DELIVER_EVERY: Duration = Duration::from_secs(1);

/// Sends the webhook deliveries that are due, claimed so each goes out from one server
/// only; a round that claimed a full batch goes on at once. A failure is logged and the
/// deliveries stay due (a claim left by a crash runs out).
async fn deliver_webhooks(app: App) {
    let mut tick = tokio::time::interval(DELIVER_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        loop {
            match app.deliver_webhooks().await {
                Ok(n) if n == usize::from(finance_core::usecases::DELIVERY_BATCH) => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "delivering webhooks failed; will retry");
                    break;
                }
            }
        }
    }
}

/// Books due schedules and purges expired records. A failure is logged and left to the
/// next round: nothing waits on it, and what it missed is still due or over then.
async fn purge_periodically(app: App, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // At start (the first tick is at once), catching up after downtime, then hourly.
        match app.run_schedules().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(booked = n, "booked scheduled movements"),
            Err(e) => tracing::warn!(error = %e, "booking scheduled movements failed; will retry"),
        }
        match app.purge_expired().await {
            Ok(p) => {
                metrics::record_purge(&p);
                tracing::info!(
                    idempotency_keys = p.idempotency_keys,
                    codes = p.codes,
                    send_windows = p.send_windows,
                    rate_counters = p.rate_counters,
                    revoked_tokens = p.revoked_tokens,
                    changes = p.changes,
                    webhook_deliveries = p.deliveries,
                    mail = p.mail,
                    "purged expired records"
                )
            }
            Err(e) => tracing::warn!(error = %e, "purging expired records failed; will retry"),
        }
    }
}

/// Serves only `GET /metrics` on `listener` (`FINANCE_METRICS_BIND`), for deployments that
/// keep metrics off the public address.
pub async fn serve_metrics(app: App, listener: TcpListener) {
    metrics::init();
    use warp::Filter;
    let routes = warp::service(routes::metrics(std::sync::Arc::new(app)).recover(problem::recover));
    connections::serve(
        routes,
        listener,
        connections::Limits::default(),
        shutdown_signal(),
    )
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
