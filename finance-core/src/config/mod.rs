//! Configuration from the environment (and an optional `.env` file), read in one place,
//! and the assembly of an [`App`](crate::App) from it (in `build`).
//!
//! Every setting has a default that works on one machine with no services: SQLite, codes
//! in the database, mail in an outbox folder, a key file generated on first start, all
//! under one data folder that the server, the CLI and the TUI share.

mod build;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use time::Duration;

use crate::adapters::paseto::TokenSettings;
use crate::usecases::AuthSettings;

pub use build::BuildError;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Every setting of the service; see the README for the variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `FINANCE_DATA_DIR`: home of the embedded defaults.
    pub data_dir: PathBuf,
    /// `FINANCE_DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `FINANCE_DATABASE_READ_URL`: a Postgres streaming replica for lists, search and
    /// reports (Postgres only).
    pub database_read_url: Option<String>,
    /// `FINANCE_DATABASE_MAX_CONNECTIONS`: the Postgres pool's size.
    pub database_max_connections: u32,
    /// `FINANCE_REDIS_URL`: keep one-time codes in Redis instead of the database.
    pub redis_url: Option<String>,
    /// `FINANCE_SMTP_URL`: send mail over SMTP instead of into the outbox.
    pub smtp_url: Option<String>,
    /// `FINANCE_OUTBOX_DIR`.
    pub outbox_dir: PathBuf,
    /// `FINANCE_MAIL_FROM`: the sender of sign-in mail.
    pub mail_from: String,
    /// `FINANCE_BIND`: where the API listens.
    pub bind: SocketAddr,
    /// `FINANCE_TOKEN_KEY_FILE`.
    pub token_key_file: PathBuf,
    /// `FINANCE_TOKEN_TTL_SECONDS`: how long a bearer token is valid.
    pub token_ttl: Duration,
    /// `FINANCE_OTP_TTL_SECONDS`: how long a sign-in code is valid.
    pub code_ttl: Duration,
    /// `FINANCE_LOG`: a tracing filter such as `info` or `finance_api=debug`.
    pub log: String,
    /// `FINANCE_LOG_FORMAT`: `pretty` or `json`.
    pub log_format: LogFormat,
    /// `FINANCE_USER`: who the CLI and the TUI act as on the local database.
    pub local_user: String,
    /// `FINANCE_CONFIG_DIR`: where `finance login` keeps its token.
    pub config_dir: PathBuf,
    /// `FINANCE_REQUEST_TIMEOUT`: seconds a request may take before it is answered 503.
    pub request_timeout: std::time::Duration,
    /// `FINANCE_HEADER_READ_TIMEOUT`: seconds a client has to send a request's headers
    /// once it started them (or connected).
    pub header_read_timeout: std::time::Duration,
    /// `FINANCE_IDLE_TIMEOUT`: seconds a connection may stay open with no request in
    /// flight and nothing sent either way.
    pub idle_timeout: std::time::Duration,
    /// `FINANCE_MAX_CONNECTIONS`: open client connections at most; past it new ones wait
    /// in the listen queue.
    pub max_connections: usize,
    /// `FINANCE_CORS_ORIGINS`: comma-separated origins allowed to call the API from a
    /// browser (`*` for any); empty, the default, turns CORS off.
    pub cors_origins: Vec<String>,
    /// `FINANCE_TRUST_PROXY`: `true` when a proxy in front sets `X-Forwarded-For`; only
    /// then is that header believed to name the client.
    pub trust_proxy: bool,
    /// `FINANCE_METRICS_BIND`: serve `/metrics` on this address instead of the API's.
    pub metrics_bind: Option<SocketAddr>,
    /// `FINANCE_OUTBOX_MAX_AGE_SECONDS`: outbox mail older than this is purged.
    pub outbox_max_age: Duration,
    /// `FINANCE_AUTH_CLIENT_LIMIT`: auth requests per client address per minute.
    pub auth_client_limit: u32,
    /// `FINANCE_CHANGES_RETENTION_DAYS`: how long the change feed keeps its rows.
    pub changes_retention: Duration,
    /// `FINANCE_WEBHOOK_ALLOW_PRIVATE`: let webhooks call loopback and private addresses
    /// (a trusted network, or tests); refused by default.
    pub webhook_allow_private: bool,
}

fn flag(name: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(name, raw, "must be true or false")),
    }
}

/// Who the CLI and the TUI act as locally when `FINANCE_USER` is not set.
pub const DEFAULT_LOCAL_USER: &str = "me@finance.local";

/// A setting that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name}={value:?} is invalid: {reason}")]
    Invalid {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("no data folder: set FINANCE_DATA_DIR")]
    NoDataDir,
    #[error("reading .env: {0}")]
    DotEnv(String),
}

impl Config {
    /// Reads `.env` from the working folder if there is one, then the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(ConfigError::DotEnv(e.to_string())),
        }
        Self::from_vars(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `var`, so tests need not touch the process environment.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir = match var("FINANCE_DATA_DIR") {
            Some(d) => PathBuf::from(d),
            None => dirs::data_dir()
                .ok_or(ConfigError::NoDataDir)?
                .join("finance"),
        };
        let mut config = Self::embedded(&data_dir);
        if let Some(url) = var("FINANCE_DATABASE_URL") {
            if !(url.starts_with("sqlite:")
                || url.starts_with("postgres:")
                || url.starts_with("postgresql:"))
            {
                return Err(invalid(
                    "FINANCE_DATABASE_URL",
                    &url,
                    "must start with sqlite: or postgres://",
                ));
            }
            config.database_url = url;
        }
        if let Some(url) = var("FINANCE_DATABASE_READ_URL") {
            if !config.database_url.starts_with("postgres") {
                return Err(invalid(
                    "FINANCE_DATABASE_READ_URL",
                    &url,
                    "a read replica needs FINANCE_DATABASE_URL on Postgres",
                ));
            }
            if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
                return Err(invalid(
                    "FINANCE_DATABASE_READ_URL",
                    &url,
                    "must start with postgres://",
                ));
            }
            config.database_read_url = Some(url);
        }
        if let Some(n) = var("FINANCE_DATABASE_MAX_CONNECTIONS") {
            config.database_max_connections = n
                .parse()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    invalid("FINANCE_DATABASE_MAX_CONNECTIONS", &n, "must be 1 to 1000")
                })?;
        }
        config.redis_url = var("FINANCE_REDIS_URL");
        config.smtp_url = var("FINANCE_SMTP_URL");
        if let Some(d) = var("FINANCE_OUTBOX_DIR") {
            config.outbox_dir = PathBuf::from(d);
        }
        if let Some(f) = var("FINANCE_MAIL_FROM") {
            config.mail_from = f;
        }
        if let Some(b) = var("FINANCE_BIND") {
            config.bind = b.parse().map_err(|e| invalid("FINANCE_BIND", &b, e))?;
        }
        if let Some(f) = var("FINANCE_TOKEN_KEY_FILE") {
            config.token_key_file = PathBuf::from(f);
        }
        if let Some(s) = var("FINANCE_TOKEN_TTL_SECONDS") {
            config.token_ttl = seconds("FINANCE_TOKEN_TTL_SECONDS", &s)?;
        }
        if let Some(s) = var("FINANCE_OTP_TTL_SECONDS") {
            config.code_ttl = seconds("FINANCE_OTP_TTL_SECONDS", &s)?;
        }
        if let Some(l) = var("FINANCE_LOG") {
            config.log = l;
        }
        if let Some(u) = var("FINANCE_USER") {
            config.local_user = u;
        }
        config.config_dir = match var("FINANCE_CONFIG_DIR") {
            Some(d) => PathBuf::from(d),
            None => {
                dirs::config_dir().map_or_else(|| data_dir.join("config"), |d| d.join("finance"))
            }
        };
        for (name, setting) in [
            ("FINANCE_REQUEST_TIMEOUT", &mut config.request_timeout),
            (
                "FINANCE_HEADER_READ_TIMEOUT",
                &mut config.header_read_timeout,
            ),
            ("FINANCE_IDLE_TIMEOUT", &mut config.idle_timeout),
        ] {
            if let Some(s) = var(name) {
                let secs = seconds(name, &s)?;
                *setting = std::time::Duration::from_secs(secs.whole_seconds().unsigned_abs());
            }
        }
        if let Some(n) = var("FINANCE_MAX_CONNECTIONS") {
            config.max_connections = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                invalid("FINANCE_MAX_CONNECTIONS", &n, "must be a positive number")
            })?;
        }
        if let Some(o) = var("FINANCE_CORS_ORIGINS") {
            config.cors_origins = o
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(t) = var("FINANCE_TRUST_PROXY") {
            config.trust_proxy = flag("FINANCE_TRUST_PROXY", &t)?;
        }
        if let Some(t) = var("FINANCE_WEBHOOK_ALLOW_PRIVATE") {
            config.webhook_allow_private = flag("FINANCE_WEBHOOK_ALLOW_PRIVATE", &t)?;
        }
        if let Some(b) = var("FINANCE_METRICS_BIND") {
            config.metrics_bind = Some(
                b.parse()
                    .map_err(|e| invalid("FINANCE_METRICS_BIND", &b, e))?,
            );
        }
        if let Some(s) = var("FINANCE_OUTBOX_MAX_AGE_SECONDS") {
            config.outbox_max_age = seconds("FINANCE_OUTBOX_MAX_AGE_SECONDS", &s)?;
        }
        if let Some(n) = var("FINANCE_AUTH_CLIENT_LIMIT") {
            config.auth_client_limit = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                invalid("FINANCE_AUTH_CLIENT_LIMIT", &n, "must be a positive number")
            })?;
        }
        if let Some(n) = var("FINANCE_CHANGES_RETENTION_DAYS") {
            let days: i64 = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                invalid(
                    "FINANCE_CHANGES_RETENTION_DAYS",
                    &n,
                    "must be a positive number of days",
                )
            })?;
            config.changes_retention = Duration::days(days);
        }
        if let Some(f) = var("FINANCE_LOG_FORMAT") {
            config.log_format = match f.as_str() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                _ => return Err(invalid("FINANCE_LOG_FORMAT", &f, "must be pretty or json")),
            };
        }
        Ok(config)
    }

    /// The embedded defaults, all under `data_dir`.
    pub fn embedded(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            database_url: format!("sqlite://{}", data_dir.join("finance.db").display()),
            database_read_url: None,
            database_max_connections: 16,
            redis_url: None,
            smtp_url: None,
            outbox_dir: data_dir.join("outbox"),
            mail_from: "finance <noreply@localhost>".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token_key_file: data_dir.join("token.key"),
            token_ttl: TokenSettings::default().ttl,
            code_ttl: AuthSettings::default().code_ttl,
            // warp's own request spans log every client error as a warning; ours log each
            // request once already.
            log: "info,warp::filters::trace=error".into(),
            log_format: LogFormat::Pretty,
            local_user: DEFAULT_LOCAL_USER.into(),
            config_dir: data_dir.join("config"),
            request_timeout: std::time::Duration::from_secs(30),
            header_read_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(60),
            // Well under the usual open-file limits, far above what one server answers.
            max_connections: 4096,
            cors_origins: Vec::new(),
            trust_proxy: false,
            metrics_bind: None,
            outbox_max_age: Duration::days(7),
            auth_client_limit: AuthSettings::default().client_limit,
            changes_retention: crate::usecases::CHANGES_RETENTION,
            webhook_allow_private: false,
        }
    }
}

fn invalid(name: &'static str, value: &str, reason: impl ToString) -> ConfigError {
    ConfigError::Invalid {
        name,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

fn seconds(name: &'static str, value: &str) -> Result<Duration, ConfigError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|s| *s > 0)
        .map(|s| Duration::seconds(i64::from(s)))
        .ok_or_else(|| invalid(name, value, "must be a positive number of seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_live_under_the_data_dir() {
        let c = config(&[("FINANCE_DATA_DIR", "/srv/fin")]).expect("config");
        assert_eq!(c.database_url, "sqlite:///srv/fin/finance.db");
        assert_eq!(c.outbox_dir, PathBuf::from("/srv/fin/outbox"));
        assert_eq!(c.token_key_file, PathBuf::from("/srv/fin/token.key"));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.redis_url, None);
        assert_eq!(c.log_format, LogFormat::Pretty);
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (name, value) in [
            ("FINANCE_BIND", "localhost"),
            ("FINANCE_DATABASE_URL", "mysql://x"),
            ("FINANCE_LOG_FORMAT", "xml"),
            ("FINANCE_OTP_TTL_SECONDS", "0"),
            ("FINANCE_TOKEN_TTL_SECONDS", "-5"),
            ("FINANCE_DATABASE_MAX_CONNECTIONS", "0"),
            ("FINANCE_IDLE_TIMEOUT", "0"),
            ("FINANCE_HEADER_READ_TIMEOUT", "soon"),
            ("FINANCE_MAX_CONNECTIONS", "-1"),
        ] {
            let err = config(&[("FINANCE_DATA_DIR", "/x"), (name, value)]).expect_err(name);
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn a_read_replica_needs_postgres_on_both_sides() {
        let pg = ("FINANCE_DATABASE_URL", "postgres://db/finance");
        let c = config(&[
            pg,
            ("FINANCE_DATABASE_READ_URL", "postgres://replica/finance"),
        ])
        .expect("config");
        assert_eq!(
            c.database_read_url.as_deref(),
            Some("postgres://replica/finance")
        );
        for vars in [
            vec![("FINANCE_DATABASE_READ_URL", "postgres://replica/finance")],
            vec![pg, ("FINANCE_DATABASE_READ_URL", "sqlite://x.db")],
        ] {
            let err = config(&vars).expect_err("refused");
            assert!(
                err.to_string().contains("FINANCE_DATABASE_READ_URL"),
                "{err}"
            );
        }
    }
}
