//! Implementations of the ports, each behind the cargo feature that pulls in its library.

#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub mod outbox;
pub mod paseto;
#[cfg(feature = "redis")]
pub mod redis;
pub mod sealer;
#[cfg(feature = "smtp")]
pub mod smtp;
pub mod webhook_http;
