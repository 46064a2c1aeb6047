//! The core of the finance service: the domain, the use cases and the ports they are
//! written against, and the adapters that implement those ports.
//!
//! - [`domain`]: types and rules, no I/O. Money is integer minor units in a currency.
//! - [`ports`]: the service traits (repositories, OTP store, mailer, tokens, clock).
//! - [`usecases`]: one file per use case, all methods of [`App`].
//! - [`adapters`]: SQLite and Postgres (sqlx), the outbox mailer, PASETO tokens, …
//! - [`config`]: settings from the environment and the assembly of an [`App`].
//!
//! # Embedding
//!
//! A program can run the whole service in-process on the embedded SQLite default:
//!
//! ```
//! use finance_core::App;
//! use finance_core::config::Config;
//! use finance_core::domain::{AccountInput, MovementInput};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let data = tempfile::tempdir()?;
//! let app = App::from_config(&Config::embedded(data.path())).await?;
//!
//! let me = app.local_user("ada@example.com").await?;
//! let wallet = app
//!     .create_account(me.id, &AccountInput { name: "Wallet".into(), currency: "EUR".into() })
//!     .await?;
//! let lunch = MovementInput {
//!     amount: "-12.50".into(),
//!     description: "Lunch".into(),
//!     category: Some("food".into()),
//!     occurred_on: Some("2026-11-24".into()),
//!     ..MovementInput::default()
//! };
//! app.add_movement(me.id, wallet.id, &lunch, None).await?;
//!
//! let wallet = app.get_account(me.id, wallet.id).await?;
//! assert_eq!(wallet.balance.to_string(), "-12.50");
//! # Ok(())
//! # }
//! ```
//!
//! Or assemble the [`App`] from ports of its own choosing with [`App::builder`]: a store,
//! a mailer, a token service, a webhook sender and a sealer of its own (the mocks of
//! every port are exported with the `testing` feature):
//!
//! ```
//! use std::sync::Arc;
//!
//! use finance_core::App;
//! use finance_core::adapters::outbox::OutboxMailer;
//! use finance_core::adapters::paseto::{PasetoTokens, TokenSettings};
//! use finance_core::adapters::sealer::AeadSealer;
//! use finance_core::adapters::sqlite::SqliteStore;
//! use finance_core::adapters::webhook_http::HttpSender;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let data = tempfile::tempdir()?;
//! let store = SqliteStore::connect("sqlite::memory:").await?;
//! let app = App::builder()
//!     .database("database", Arc::new(store))
//!     .mailer(Arc::new(OutboxMailer::new(data.path(), "me <me@localhost>")))
//!     .tokens(Arc::new(PasetoTokens::from_key_file(
//!         &data.path().join("token.key"),
//!         TokenSettings::default(),
//!     )?))
//!     // Webhooks: calls to public addresses only; secrets sealed with a key of this run's.
//!     .webhook_sender(Arc::new(HttpSender::new(false)))
//!     .sealer(Arc::new(AeadSealer::random()))
//!     .build()?;
//! let me = app.local_user("ada@example.com").await?;
//! assert!(app.list_accounts(me.id).await?.is_empty());
//! # Ok(())
//! # }
//! ```
pub mod adapters;
pub mod config;
pub mod domain;
pub mod error;
pub mod ports;
pub mod usecases;

pub use error::Error;
pub use usecases::App;
