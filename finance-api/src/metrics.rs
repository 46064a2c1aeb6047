//! `GET /metrics` in the Prometheus text format: requests by route template and status,
//! latency histograms, database pool use, mail sent and failed (counted by the core), and
//! purge counts. Labels hold route templates, never raw paths, so ids cannot explode them.

use std::sync::OnceLock;
use std::time::Duration;

use finance_core::App;
use finance_core::ports::Purged;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

const REQUESTS: &str = "finance_http_requests_total";
const LATENCY: &str = "finance_http_request_duration_seconds";

/// Latency buckets from a millisecond to ten seconds.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide recorder, installed on first use. `None` only if another recorder was
/// installed first (an embedding program's own); metrics then go there.
fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(LATENCY.into()), BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            Some(handle)
        })
        .as_ref()
}

/// How often recorded latencies are folded into their histogram buckets.
const UPKEEP: Duration = Duration::from_secs(5);

/// Installs the recorder, so counts start with the first request, and (once per process,
/// inside a runtime) starts its upkeep: the recorder keeps every latency sample until
/// upkeep or a scrape folds it into the buckets, so without it memory grew with every
/// request when nothing scraped `/metrics` (12 MiB over a benchmark run).
pub fn init() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    let (Some(handle), Ok(runtime)) = (handle(), tokio::runtime::Handle::try_current()) else {
        return;
    };
    STARTED.call_once(|| {
        runtime.spawn(async move {
            let mut every = tokio::time::interval(UPKEEP);
            loop {
                every.tick().await;
                handle.run_upkeep();
            }
        });
    });
}

/// Counts one answered request.
/// `route` is the template the request matched (`/v1/accounts/{id}`) or `unmatched`.
pub fn record_request(method: &str, route: &'static str, status: u16, elapsed: Duration) {
    let method = label(method);
    metrics::counter!(REQUESTS, "method" => method.clone(), "route" => route, "status" => status_label(status))
        .increment(1);
    metrics::histogram!(LATENCY, "method" => method, "route" => route)
        .record(elapsed.as_secs_f64());
}

/// A method as a label, without an allocation for the ones the API serves.
fn label(method: &str) -> metrics::SharedString {
    const KNOWN: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    match KNOWN.iter().find(|m| **m == method) {
        Some(m) => metrics::SharedString::const_str(m),
        None => metrics::SharedString::from(method.to_string()),
    }
}

/// A status as a label, without an allocation for the ones the API answers with.
fn status_label(status: u16) -> metrics::SharedString {
    const KNOWN: [(u16, &str); 17] = [
        (200, "200"),
        (201, "201"),
        (202, "202"),
        (204, "204"),
        (304, "304"),
        (400, "400"),
        (401, "401"),
        (403, "403"),
        (404, "404"),
        (405, "405"),
        (409, "409"),
        (412, "412"),
        (413, "413"),
        (415, "415"),
        (422, "422"),
        (429, "429"),
        (503, "503"),
    ];
    match KNOWN.iter().find(|(code, _)| *code == status) {
        Some((_, text)) => metrics::SharedString::const_str(text),
        None => metrics::SharedString::from(status.to_string()),
    }
}

/// Counts what a purge removed, by kind.
/// A connection the server closed for passing a limit (`reason`).
pub fn record_connection_closed(reason: &'static str) {
    metrics::counter!("finance_connections_closed_total", "reason" => reason).increment(1);
}

pub fn record_purge(p: &Purged) {
    for (kind, n) in [
        ("idempotency_keys", p.idempotency_keys),
        ("codes", p.codes),
        ("send_windows", p.send_windows),
        ("rate_counters", p.rate_counters),
        ("revoked_tokens", p.revoked_tokens),
        ("changes", p.changes),
        ("webhook_deliveries", p.deliveries),
        ("mail", p.mail),
    ] {
        metrics::counter!("finance_purged_total", "kind" => kind).increment(n);
    }
}

/// The text of `/metrics`, with the pools' use read now.
pub fn render(app: &App) -> String {
    for (name, service) in &app.health {
        if let Some(pool) = service.pool_stats() {
            let in_use = pool.size.saturating_sub(pool.idle);
            metrics::gauge!("finance_db_pool_connections", "pool" => *name, "state" => "idle")
                .set(f64::from(pool.idle));
            metrics::gauge!("finance_db_pool_connections", "pool" => *name, "state" => "in_use")
                .set(f64::from(in_use));
            metrics::gauge!("finance_db_pool_max_connections", "pool" => *name)
                .set(f64::from(pool.max));
        }
    }
    match handle() {
        Some(h) => {
            h.run_upkeep();
            h.render()
        }
        None => String::new(),
    }
}
