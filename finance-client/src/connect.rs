//! How a frontend (the CLI, the TUI) gets its [`Finance`]: the local database as one
//! user, or a server with the token `finance login` stored.

use time::OffsetDateTime;

use finance_core::App;
use finance_core::Error;
use finance_core::config::{BuildError, Config};

use crate::{Finance, LocalFinance, RemoteFinance, credentials};

/// Why no [`Finance`] could be had; the message is meant for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("not logged in to {server}: run `finance login EMAIL --server {server}`")]
    NotLoggedIn { server: String },
    #[error("reading the stored token: {0}")]
    Credentials(std::io::Error),
    #[error("opening the local database: {0}")]
    Open(BuildError),
    #[error("--user / FINANCE_USER {0:?} is not an email address")]
    BadUser(String),
    #[error("{}", .0.chain())]
    Other(Error),
}

/// Local mode unless `server` is given; remote mode needs a stored, unexpired token for
/// that server. Locally the user is `user`, else `config.local_user`.
pub async fn connect(
    config: &Config,
    server: Option<&str>,
    user: Option<&str>,
) -> Result<Box<dyn Finance>, ConnectError> {
    match server {
        Some(server) => {
            let server = server.trim_end_matches('/');
            let stored =
                credentials::load(&config.config_dir).map_err(ConnectError::Credentials)?;
            match stored {
                Some(c) if c.server == server && c.expires_at > OffsetDateTime::now_utc() => Ok(
                    Box::new(RemoteFinance::new(server, &c.token).map_err(ConnectError::Other)?),
                ),
                _ => Err(ConnectError::NotLoggedIn {
                    server: server.to_string(),
                }),
            }
        }
        None => {
            let app = App::from_config(config).await.map_err(ConnectError::Open)?;
            let email = user.unwrap_or(&config.local_user);
            let local = LocalFinance::open(app, email).await.map_err(|e| match e {
                Error::Invalid(_) => ConnectError::BadUser(email.to_string()),
                other => ConnectError::Other(other),
            })?;
            Ok(Box::new(local))
        }
    }
}
