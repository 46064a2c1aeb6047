//! Real stores for the integration tests.

pub mod fixtures;
#[path = "../../../tests/support/pg.rs"]
mod pg;

use std::io::Write;
use std::str::FromStr;
use std::sync::Once;

use finance_core::adapters::postgres::PgStore;
use finance_core::adapters::sqlite::SqliteStore;
use finance_core::ports::*;
use sqlx::postgres::PgConnectOptions;

/// Everything a store implements, so one test body serves every backend.
#[allow(dead_code)]
pub trait Store: DatabaseStore + Clone + 'static {}
impl<T> Store for T where T: DatabaseStore + Clone + 'static {}

/// A fresh SQLite database in a temporary folder (a file, so several connections share it).
#[allow(dead_code)]
pub async fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("finance.db").display());
    (SqliteStore::connect(&url).await.expect("sqlite store"), dir)
}

/// Says once per test binary, past the harness's output capture, that tests were skipped.
pub fn skipped(once: &'static Once, what: &str, var: &str) {
    once.call_once(|| {
        let _ = writeln!(std::io::stderr(), "SKIPPED: {what} (set {var} to run them)");
    });
}

static SKIP_PG: Once = Once::new();
static SKIP_REDIS: Once = Once::new();

/// A store in a new schema of the database at `FINANCE_TEST_DATABASE_URL`, or `None` (with
/// a notice that bypasses the test harness's capture) when it is not set.
#[allow(dead_code)]
pub async fn postgres() -> Option<PgStore> {
    let Ok(url) = std::env::var("FINANCE_TEST_DATABASE_URL") else {
        skipped(&SKIP_PG, "Postgres tests", "FINANCE_TEST_DATABASE_URL");
        return None;
    };
    let schema = pg::create_schema(&url).await;
    let options = PgConnectOptions::from_str(&url)
        .expect("valid FINANCE_TEST_DATABASE_URL")
        .options([("search_path", schema.as_str())]);
    Some(
        PgStore::connect_with(options, 16)
            .await
            .expect("postgres store"),
    )
}

/// The Redis OTP store at `FINANCE_TEST_REDIS_URL` under a prefix of its own, or `None`.
#[allow(dead_code)]
pub fn redis() -> Option<finance_core::adapters::redis::RedisOtpStore> {
    let Ok(url) = std::env::var("FINANCE_TEST_REDIS_URL") else {
        skipped(&SKIP_REDIS, "Redis tests", "FINANCE_TEST_REDIS_URL");
        return None;
    };
    let prefix = format!("finance_t_{}:", uuid::Uuid::new_v4().simple());
    Some(finance_core::adapters::redis::RedisOtpStore::connect(&url, &prefix).expect("redis store"))
}

/// A URL of the database at `FINANCE_TEST_DATABASE_URL` whose connections use a new
/// schema of their own, or `None` when the variable is not set.
#[allow(dead_code)]
pub async fn postgres_url() -> Option<String> {
    let Ok(url) = std::env::var("FINANCE_TEST_DATABASE_URL") else {
        skipped(&SKIP_PG, "Postgres tests", "FINANCE_TEST_DATABASE_URL");
        return None;
    };
    Some(pg::url_with_own_schema(&url).await)
}

/// A port on loopback that nothing listens on.
#[allow(dead_code)]
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Declares, for each named `async fn(store)`, a test on SQLite and one on Postgres, and
/// with `redis;` first one on Redis too (each skipped, with a notice, when it is not
/// configured).
#[allow(unused_macros)]
macro_rules! suite {
    (redis; $($name:ident),* $(,)?) => {
        $crate::support::suite!($($name),*);
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(store) = super::support::redis() else { return };
                    super::$name(store).await;
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (store, _dir) = super::support::sqlite().await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(store) = super::support::postgres().await else { return };
                    super::$name(store).await;
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use suite;

/// Runs one case of a store property on a fresh SQLite database and, when Postgres is
/// configured, on a fresh Postgres schema (its one-statement writes included): `s` is the
/// store in `$body`, an async block's body returning `Result<(), TestCaseError>`.
#[allow(unused_macros)]
macro_rules! on_both_stores {
    (|$s:ident| $body:block) => {{
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let ($s, _dir) = $crate::support::sqlite().await;
            $body
        })?;
        rt.block_on(async {
            match $crate::support::postgres().await {
                Some($s) => $body,
                None => Ok(()),
            }
        })?;
    }};
}
#[allow(unused_imports)]
pub(crate) use on_both_stores;
