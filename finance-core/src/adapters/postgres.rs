//! The server store: PostgreSQL.

use std::str::FromStr;
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use time::{Duration, OffsetDateTime};

use super::sql::sql_store;
use crate::domain::*;
use crate::ports::*;

sql_store!(
    /// Every repository and the OTP store on PostgreSQL; writers lock the account row
    /// with `SELECT … FOR UPDATE`.
    PgStore,
    db = sqlx::Postgres,
    pool = PgPool,
    begin = "BEGIN",
    lock = " FOR UPDATE"
);

impl PgStore {
    /// Connects to `url` with a pool of at most `max_connections` and runs the migrations.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(Cause::context("bad Postgres URL", e)))?;
        Self::connect_with(options, max_connections).await
    }

    /// Connects with prepared options (a test uses them to pick its own schema).
    pub async fn connect_with(
        options: PgConnectOptions,
        max_connections: u32,
    ) -> Result<Self, StoreError> {
        // No ping before each use (sqlx's default): it doubles the round trips of every
        // query. A connection that died fails its own query instead, which answers 503,
        // and the pool replaces it; the outage tests check that recovery.
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false)
            .acquire_timeout(StdDuration::from_secs(5))
            // A connection must never serve the next request inside a transaction that a
            // dropped future left open: it is closed instead (the server then rolls the
            // transaction back). See vendor/README.md for the fix that makes this rare.
            .after_release(|conn, _| {
                Box::pin(async move {
                    let clean = !sqlx::Connection::is_in_transaction(conn);
                    if !clean {
                        tracing::warn!(
                            "a pooled connection came back inside a transaction; closing it"
                        );
                    }
                    Ok(clean)
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(Cause::context("migrating Postgres", e)))?;
        Ok(Self::new(pool))
    }
}
