//! Embeds the finance core on Postgres and cuts use cases off at random points: each write
//! races a timer of a few hundred microseconds and is dropped wherever it stands when the
//! timer wins (before its transaction, inside it, while it commits). A cancel-safe core
//! leaves each write done whole or not at all, and no connection inside a transaction, so
//! afterwards every balance equals the sum of its movements, read through the same `App`
//! and through a fresh one.
//!
//! `FINANCE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release`
//! (from this folder; `.ci/run` runs it). It works in a schema of its own and drops it.

use std::time::Duration;

use finance_core::App;
use finance_core::config::Config;
use finance_core::domain::{
    AccountId, AccountInput, MovementId, MovementInput, MovementPatch, MovementQueryInput,
    TransferInput, UserId,
};
use finance_core::ports::Added;
use rand::RngExt;
use sqlx::Connection;

const WORKERS: usize = 8;
const ROUNDS: usize = 150;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let url = std::env::var("FINANCE_TEST_DATABASE_URL")
        .map_err(|_| "set FINANCE_TEST_DATABASE_URL to a Postgres database")?;
    let schema = format!("embed_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await?;
    let own = format!(
        "{url}{}options%5Bsearch_path%5D={schema}&application_name={schema}",
        sep(&url)
    );
    let outcome = run(&own, &mut admin, &schema).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&mut admin)
        .await?;
    outcome
}

fn sep(url: &str) -> char {
    if url.contains('?') { '&' } else { '?' }
}

async fn open(url: &str, data: &std::path::Path) -> Result<App, Failure> {
    let mut config = Config::embedded(data);
    config.database_url = url.to_string();
    Ok(App::from_config(&config).await?)
}

async fn run(url: &str, admin: &mut sqlx::PgConnection, schema: &str) -> Result<(), Failure> {
    let data = tempfile::tempdir()?;
    let app = std::sync::Arc::new(open(url, data.path()).await?);
    let me = app.local_user("embedder@example.com").await?.id;
    let mut accounts = Vec::new();
    for name in ["Checking", "Savings", "Cash"] {
        let input = AccountInput {
            name: name.into(),
            currency: "EUR".into(),
        };
        accounts.push(app.create_account(me, &input).await?.id);
    }

    let mut workers = Vec::new();
    for worker in 0..WORKERS {
        let (app, accounts) = (app.clone(), accounts.clone());
        workers.push(tokio::spawn(async move {
            cut_off_writes(&app, me, &accounts, worker).await
        }));
    }
    let mut cut = 0;
    for w in workers {
        cut += w.await??;
    }
    println!("{cut} of {} writes were dropped part-way", WORKERS * ROUNDS);

    // No connection of the pool was left inside a transaction by a cut.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stuck: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity \
         WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
    )
    .bind(schema)
    .fetch_one(&mut *admin)
    .await?;
    if stuck != 0 {
        return Err(format!("{stuck} connections were left inside a transaction").into());
    }
    check(&app, me, &accounts).await?;
    // A fresh pool: what was committed, read by connections that never saw a cut.
    drop(app);
    let fresh = open(url, data.path()).await?;
    check(&fresh, me, &accounts).await?;
    println!("every balance is the sum of its movements");
    Ok(())
}

/// `ROUNDS` writes of every kind, each dropped if a random timer goes off first; returns
/// how many were dropped.
async fn cut_off_writes(
    app: &App,
    me: UserId,
    accounts: &[AccountId],
    worker: usize,
) -> Result<usize, Failure> {
    let mut mine: Vec<(AccountId, MovementId)> = Vec::new();
    let mut cut = 0;
    for round in 0..ROUNDS {
        let (pick, amount, deadline, kind) = {
            let mut rng = rand::rng();
            (
                rng.random_range(0..accounts.len()),
                rng.random_range(1..10_000i64),
                Duration::from_micros(rng.random_range(0..8_000)),
                rng.random_range(0..4u8),
            )
        };
        let account = accounts[pick];
        let other = accounts[(pick + 1) % accounts.len()];
        let cents = format!("{}.{:02}", amount / 100, amount % 100);
        let write = async {
            match kind {
                0 => {
                    let input = MovementInput {
                        amount: format!("-{cents}"),
                        description: format!("w{worker} r{round}"),
                        category: None,
                        occurred_on: None,
                        ..MovementInput::default()
                    };
                    let key = format!("w{worker}-r{round}");
                    if let Ok(Added::Created { movement, .. }) =
                        app.add_movement(me, account, &input, Some(&key)).await
                    {
                        return Some((account, movement.id));
                    }
                }
                1 => {
                    let input = TransferInput {
                        from_account: account.to_string(),
                        to_account: other.to_string(),
                        amount: cents,
                        to_amount: None,
                        description: format!("w{worker} r{round}"),
                        occurred_on: None,
                    };
                    let _ = app.create_transfer(me, &input, None).await;
                }
                2 if !mine.is_empty() => {
                    let (a, m) = mine[round % mine.len()];
                    let patch = MovementPatch {
                        amount: Some(format!("-{cents}")),
                        ..MovementPatch::default()
                    };
                    let _ = app.edit_movement(me, a, m, &patch, None).await;
                }
                _ if !mine.is_empty() => {
                    let (a, m) = mine[round % mine.len()];
                    let _ = app.delete_movement(me, a, m, None).await;
                }
                _ => {}
            }
            None
        };
        tokio::select! {
            added = write => mine.extend(added),
            () = tokio::time::sleep(deadline) => cut += 1,
        }
    }
    Ok(cut)
}

/// Every account's balance is the sum of its movements.
async fn check(app: &App, me: UserId, accounts: &[AccountId]) -> Result<(), Failure> {
    for &account in accounts {
        let balance = app.get_account(me, account).await?.balance.minor();
        let mut sum = 0i64;
        let mut query = MovementQueryInput {
            limit: Some("200".into()),
            ..MovementQueryInput::default()
        };
        loop {
            let page = app.list_movements(me, account, &query).await?;
            sum += page.items.iter().map(|m| m.amount.minor()).sum::<i64>();
            match page.next_cursor {
                Some(c) => query.cursor = Some(c.encode()),
                None => break,
            }
        }
        if balance != sum {
            return Err(
                format!("account {account}: balance {balance}, movements sum to {sum}").into(),
            );
        }
    }
    Ok(())
}
