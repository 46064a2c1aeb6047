use std::process::ExitCode;

use finance_core::App;
use finance_core::config::Config;

/// Blocking threads at most (file I/O of the outbox and the key file runs on them). Tokio's
/// default of 512 let a burst of sign-ins start dozens of threads, each with its own stack
/// and malloc arena, which raised peak memory by a third for no gain in throughput.
const BLOCKING_THREADS: usize = 8;

fn main() -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
    {
        Ok(runtime) => runtime.block_on(serve()),
        Err(e) => {
            eprintln!("finance-api: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("finance-api: {e}");
            return ExitCode::from(2);
        }
    };
    finance_api::init_tracing(&config);
    let app = match App::from_config(&config).await {
        Ok(app) => app,
        Err(e) => {
            tracing::error!(error = %e, "cannot start");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.bind).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, bind = %config.bind, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    let address = listener.local_addr().map_or(config.bind, |a| a);
    tracing::info!(
        %address,
        database = %redact(&config.database_url),
        outbox = %config.outbox_dir.display(),
        "finance-api listening"
    );
    if let Some(bind) = config.metrics_bind {
        match tokio::net::TcpListener::bind(bind).await {
            Ok(l) => {
                tracing::info!(address = %bind, "metrics listening");
                tokio::spawn(finance_api::serve_metrics(app.clone(), l));
            }
            Err(e) => {
                tracing::error!(error = %e, %bind, "cannot listen for metrics");
                return ExitCode::FAILURE;
            }
        }
    }
    finance_api::serve_with(app, finance_api::Settings::from_config(&config), listener).await;
    ExitCode::SUCCESS
}

/// The URL without its password, for the log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}
