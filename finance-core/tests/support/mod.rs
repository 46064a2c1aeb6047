//! Real stores for the integration tests.

use std::io::Write;
use std::str::FromStr;
use std::sync::Once;

use finance_core::adapters::postgres::PgStore;
use finance_core::adapters::sqlite::SqliteStore;
use finance_core::ports::*;
use sqlx::postgres::PgConnectOptions;

/// Everything a store implements, so one test body serves every backend.
pub trait Store:
    UserRepository + AccountRepository + MovementRepository + OtpStore + Health + Clone + 'static
{
}
impl<T> Store for T where
    T: UserRepository
        + AccountRepository
        + MovementRepository
        + OtpStore
        + Health
        + Clone
        + 'static
{
}

/// A fresh SQLite database in a temporary folder (a file, so several connections share it).
pub async fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("finance.db").display());
    (SqliteStore::connect(&url).await.expect("sqlite store"), dir)
}

static SKIP_NOTICE: Once = Once::new();

/// A store in a new schema of the database at `FINANCE_TEST_DATABASE_URL`, or `None` (with
/// a notice that bypasses the test harness's capture) when it is not set.
pub async fn postgres() -> Option<PgStore> {
    let Ok(url) = std::env::var("FINANCE_TEST_DATABASE_URL") else {
        SKIP_NOTICE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: Postgres repository tests (set FINANCE_TEST_DATABASE_URL to run them)"
            );
        });
        return None;
    };
    let schema = format!("finance_t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("FINANCE_TEST_DATABASE_URL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("create schema");
    admin.close().await;
    let options = PgConnectOptions::from_str(&url)
        .expect("valid FINANCE_TEST_DATABASE_URL")
        .options([("search_path", schema.as_str())]);
    Some(
        PgStore::connect_with(options)
            .await
            .expect("postgres store"),
    )
}
