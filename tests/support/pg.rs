//! A Postgres schema of its own for each test, so tests run in parallel on one shared
//! server. Shared by the core's and the end-to-end tests.

/// Creates a fresh schema in the database at `url` and returns its name.
pub async fn create_schema(url: &str) -> String {
    let schema = format!("finance_t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(url)
        .await
        .expect("FINANCE_TEST_DATABASE_URL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("create schema");
    admin.close().await;
    schema
}

/// `url` with every connection's search path set to a fresh schema, and the schema's name
/// as the connections' `application_name` so a test can find them in `pg_stat_activity`.
#[allow(dead_code)]
pub async fn url_with_own_schema(url: &str) -> String {
    let schema = create_schema(url).await;
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options%5Bsearch_path%5D={schema}&application_name={schema}")
}
