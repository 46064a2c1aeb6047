//! What every handler gets: the application, and the server's settings for running a use
//! case whatever the client does meanwhile.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use finance_core::config::Config;
use finance_core::ports::Cause;
use finance_core::{App, Error};
use serde::Serialize;
use warp::http::StatusCode;
use warp::reply::Response;

/// The server's own settings, read from [`Config`].
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a request may take before it is answered 503 (`FINANCE_REQUEST_TIMEOUT`).
    pub request_timeout: Duration,
    /// Origins allowed by CORS; empty means CORS is off (`FINANCE_CORS_ORIGINS`).
    pub cors_origins: Vec<String>,
    /// Whether `X-Forwarded-For` names the client (`FINANCE_TRUST_PROXY`).
    pub trust_proxy: bool,
    /// Whether `/metrics` is served on the API's own listener (it is not when
    /// `FINANCE_METRICS_BIND` gives it one of its own).
    pub metrics_on_api: bool,
    /// How long and how many client connections may stay open.
    pub connections: crate::connections::Limits,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            cors_origins: Vec::new(),
            trust_proxy: false,
            metrics_on_api: true,
            connections: crate::connections::Limits::default(),
        }
    }
}

impl Settings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            request_timeout: config.request_timeout,
            cors_origins: config.cors_origins.clone(),
            trust_proxy: config.trust_proxy,
            metrics_on_api: config.metrics_bind.is_none(),
            connections: crate::connections::Limits::from_config(config),
        }
    }
}

/// The application and the settings, cheap to clone into each handler.
#[derive(Clone)]
pub struct Ctx {
    /// Shared, not cloned per request: cloning the app's dozen handles showed as 4% of a
    /// read's CPU in the profile.
    pub app: Arc<App>,
    pub settings: Arc<Settings>,
}

impl Ctx {
    pub fn new(app: App, settings: Settings) -> Self {
        Self {
            app: Arc::new(app),
            settings: Arc::new(settings),
        }
    }

    /// Runs a use case to its end in a task of its own.
    ///
    /// warp drops a handler's future when its client hangs up; storage work dropped
    /// half-way (a transaction being opened, say) must not depend on the client, so it is
    /// spawned and only the wait for it belongs to the request. Past the request timeout
    /// the client gets a 503 while the work still finishes; a retry with the same
    /// `Idempotency-Key` then finds its result.
    pub async fn run<T, F, Fut>(&self, work: F) -> Result<T, Error>
    where
        F: FnOnce(Arc<App>) -> Fut,
        Fut: Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        let task = tokio::spawn(work(self.app.clone()));
        match tokio::time::timeout(self.settings.request_timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(failed)) => Err(Error::Internal(Cause::context(
                "the use case's task failed",
                failed,
            ))),
            Err(_) => Err(Error::Unavailable(Cause::from(format!(
                "the request took longer than {:?}; its work goes on",
                self.settings.request_timeout
            )))),
        }
    }

    /// Runs a use case (as [`Ctx::run`]) and answers with its value as JSON with
    /// `status`, or with its problem: the whole of most handlers.
    pub async fn answer<T, F, Fut>(&self, status: StatusCode, work: F) -> Response
    where
        F: FnOnce(Arc<App>) -> Fut,
        Fut: Future<Output = Result<T, Error>> + Send + 'static,
        T: Serialize + Send + 'static,
    {
        crate::answers::respond(status, self.run(work).await)
    }
}
