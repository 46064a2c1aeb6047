//! The assembly of an [`App`] from a [`Config`]: connect what it names, run the
//! migrations, load (or create) the token key.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::{Config, ConfigError};
use crate::adapters::outbox::OutboxMailer;
use crate::adapters::paseto::{KeyFileError, PasetoTokens, TokenSettings};
use crate::adapters::sealer::AeadSealer;
use crate::adapters::webhook_http::HttpSender;
use crate::ports::{
    Cause, DatabaseStore, Health, Mailer, OtpStore, RateLimits, Revocations, StoreError, chain,
};
use crate::usecases::{App, AuthSettings};

/// Why the application could not be assembled.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Ports(#[from] crate::usecases::MissingPort),
    #[error("database: {}", chain(.0))]
    Database(StoreError),
    #[error("one-time code store: {}", chain(.0))]
    OtpStore(StoreError),
    #[error("mail: {0}")]
    Mail(String),
    #[error(transparent)]
    Keys(#[from] KeyFileError),
}

/// A database store, whichever engine the URL names.
enum Database {
    #[cfg(feature = "sqlite")]
    Sqlite(crate::adapters::sqlite::SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(crate::adapters::postgres::PgStore),
}

impl App {
    /// Connects everything the configuration names, runs the migrations, and loads (or
    /// creates) the token key.
    pub async fn from_config(config: &Config) -> Result<App, BuildError> {
        let db = open_database(
            &config.database_url,
            config.database_read_url.as_deref(),
            config.database_max_connections,
        )
        .await
        .map_err(BuildError::Database)?;
        let tokens = PasetoTokens::from_key_file(
            &config.token_key_file,
            TokenSettings {
                ttl: config.token_ttl,
                ..TokenSettings::default()
            },
        )?;
        // The pepper of stored codes is derived from the signing key, so one secret file
        // protects both and a leaked database alone reveals no live code.
        let pepper = Sha256::new()
            .chain_update(b"finance one-time code pepper\0")
            .chain_update(tokens.secret_bytes())
            .finalize()
            .to_vec();
        let auth = AuthSettings {
            code_ttl: config.code_ttl,
            code_pepper: pepper,
            client_limit: config.auth_client_limit,
            ..AuthSettings::default()
        };
        let mailer: Arc<dyn Mailer> = match &config.smtp_url {
            Some(url) => smtp_mailer(url, &config.mail_from)?,
            None => Arc::new(
                OutboxMailer::new(&config.outbox_dir, &config.mail_from)
                    .keep_for(config.outbox_max_age),
            ),
        };
        let db: Arc<dyn DatabaseStore> = match db {
            #[cfg(feature = "sqlite")]
            Database::Sqlite(s) => Arc::new(s),
            #[cfg(feature = "postgres")]
            Database::Postgres(s) => Arc::new(s),
        };
        let sealer = AeadSealer::derived_from(tokens.secret_bytes());
        let app = App::builder()
            .database("database", db.clone())
            .sealer(Arc::new(sealer))
            .webhook_sender(Arc::new(HttpSender::new(config.webhook_allow_private)))
            .mailer(mailer)
            .tokens(Arc::new(tokens))
            .auth(auth)
            .changes_retention(config.changes_retention);
        // Codes and the sign-in rate limits live together: in Redis when it is configured
        // (shared by every server), else in the database. Sign-outs are recorded in the
        // database, so a Redis outage fails only sign-in and a signed-out token is never
        // accepted for lack of Redis; with Redis they are also shared through it, so that
        // every server refuses a signed-out token from the very next request.
        let app = match &config.redis_url {
            Some(url) => {
                let redis = redis_store(url, db, config.token_ttl).await?;
                app.otps(redis.otps)
                    .limits(redis.limits)
                    .revocations(redis.sign_outs)
                    .health("otp_store", redis.health)
            }
            None => app,
        };
        Ok(app.build()?)
    }
}

#[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
async fn open_database(
    url: &str,
    read_url: Option<&str>,
    max_connections: u32,
) -> Result<Database, StoreError> {
    if url.starts_with("sqlite:") {
        #[cfg(feature = "sqlite")]
        {
            if let Some(path) = url
                .strip_prefix("sqlite://")
                .filter(|p| !p.starts_with(':'))
                && let Some(dir) = Path::new(path)
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Unavailable(Cause::context(
                        format!("creating {}", dir.display()),
                        e,
                    ))
                })?;
            }
            return Ok(Database::Sqlite(
                crate::adapters::sqlite::SqliteStore::connect(url).await?,
            ));
        }
    } else {
        #[cfg(feature = "postgres")]
        {
            let store = crate::adapters::postgres::PgStore::connect(url, max_connections).await?;
            return Ok(Database::Postgres(match read_url {
                Some(read_url) => store.with_replica(read_url, max_connections)?,
                None => store,
            }));
        }
    }
    #[allow(unreachable_code)]
    Err(StoreError::Backend(Cause::from(format!(
        "this build has no driver for {url}"
    ))))
}

/// Everything kept in Redis, each as the port it serves.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
struct RedisParts {
    otps: Arc<dyn OtpStore>,
    limits: Arc<dyn RateLimits>,
    sign_outs: Arc<dyn Revocations>,
    health: Arc<dyn Health>,
}

/// Redis (one server or a cluster) for codes and limits, and beside `record` for sign-outs.
#[cfg(feature = "redis")]
async fn redis_store(
    url: &str,
    record: Arc<dyn Revocations>,
    token_ttl: time::Duration,
) -> Result<RedisParts, BuildError> {
    use crate::adapters::redis::{RedisOtpStore, SharedSignOuts};
    let store = RedisOtpStore::connect(url, "finance:").map_err(BuildError::OtpStore)?;
    // Start even if Redis is down now: readiness reports it, and the connection
    // reconnects by itself once Redis is back.
    if let Err(e) = store.ping().await {
        tracing::warn!(error = %e, "Redis is not reachable yet");
    }
    let sign_outs = Arc::new(SharedSignOuts::new(record, store.clone(), token_ttl));
    let store = Arc::new(store);
    Ok(RedisParts {
        otps: store.clone(),
        limits: store.clone(),
        sign_outs,
        health: store,
    })
}

#[cfg(not(feature = "redis"))]
async fn redis_store(
    _url: &str,
    _record: Arc<dyn Revocations>,
    _token_ttl: time::Duration,
) -> Result<RedisParts, BuildError> {
    Err(BuildError::OtpStore(StoreError::Backend(
        "FINANCE_REDIS_URL is set but this build has no `redis` feature".into(),
    )))
}

#[cfg(feature = "smtp")]
fn smtp_mailer(url: &str, from: &str) -> Result<Arc<dyn Mailer>, BuildError> {
    let mailer = crate::adapters::smtp::SmtpMailer::new(url, from)
        .map_err(|e| BuildError::Mail(e.to_string()))?;
    Ok(Arc::new(mailer))
}

#[cfg(not(feature = "smtp"))]
fn smtp_mailer(_url: &str, _from: &str) -> Result<Arc<dyn Mailer>, BuildError> {
    Err(BuildError::Mail(
        "FINANCE_SMTP_URL is set but this build has no `smtp` feature".into(),
    ))
}
