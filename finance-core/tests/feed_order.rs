//! The change feed's cursor rule against a model of interleaved commits, on Postgres:
//! transactions begin, write feed rows, commit or roll back in any order while a reader
//! follows the feed with its cursor. Whatever the interleaving, the reader sees every
//! committed row exactly once and no rolled-back one; numbering alone would skip a row
//! whose transaction took its number early and committed late.

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use finance_core::adapters::postgres::PgStore;
use finance_core::domain::{FeedPosition, UserId};
use finance_core::ports::FeedRepository;
use proptest::prelude::*;
use sqlx::{PgPool, Postgres, Transaction};

const WRITERS: usize = 4;

/// One step of a schedule: writer `w` writes a row (beginning a transaction if it has
/// none), ends its transaction (commit when `commit`), or the reader reads.
#[derive(Debug, Clone)]
enum Step {
    Write(usize),
    End(usize, bool),
    Read,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        4 => (0..WRITERS).prop_map(Step::Write),
        2 => (0..WRITERS, prop::bool::weighted(0.8)).prop_map(|(w, c)| Step::End(w, c)),
        2 => Just(Step::Read),
    ];
    prop::collection::vec(step, 1..60)
}

struct Reader {
    user: UserId,
    cursor: FeedPosition,
    seen: Vec<String>,
}

impl Reader {
    async fn read(&mut self, store: &PgStore) {
        loop {
            let rows = store
                .changes(self.user, self.cursor, 50)
                .await
                .expect("read");
            let Some(last) = rows.last() else { return };
            self.cursor = last.position;
            self.seen.extend(rows.into_iter().map(|r| r.entity_id));
        }
    }
}

async fn run(pool: &PgPool, store: &PgStore, schedule: &[Step]) {
    let user = UserId::random();
    let mut open: BTreeMap<usize, (Transaction<'static, Postgres>, Vec<String>)> = BTreeMap::new();
    let mut committed: Vec<String> = Vec::new();
    let mut reader = Reader {
        user,
        cursor: store.feed_head().await.expect("head"),
        seen: Vec::new(),
    };
    let mut n = 0;
    for step in schedule {
        match step {
            Step::Write(w) => {
                if !open.contains_key(w) {
                    let tx = pool.begin().await.expect("begin");
                    open.insert(*w, (tx, Vec::new()));
                }
                let (tx, rows) = open.get_mut(w).expect("open");
                n += 1;
                let id = format!("w{w}-{n}");
                sqlx::query(
                    "INSERT INTO changes (user_id, at, entity, entity_id, action) \
                     VALUES ($1, now(), 'rule', $2, 'upserted')",
                )
                .bind(user.0)
                .bind(&id)
                .execute(&mut **tx)
                .await
                .expect("write");
                rows.push(id);
            }
            Step::End(w, commit) => {
                if let Some((tx, rows)) = open.remove(w) {
                    if *commit {
                        tx.commit().await.expect("commit");
                        committed.extend(rows);
                    } else {
                        tx.rollback().await.expect("rollback");
                    }
                }
            }
            Step::Read => reader.read(store).await,
        }
    }
    for (_, (tx, rows)) in std::mem::take(&mut open) {
        tx.commit().await.expect("commit");
        committed.extend(rows);
    }
    // Other tests' transactions on the same server may hold the line back a moment.
    let until = Instant::now() + Duration::from_secs(10);
    while reader.seen.len() < committed.len() && Instant::now() < until {
        reader.read(store).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut seen = reader.seen.clone();
    seen.sort();
    committed.sort();
    assert_eq!(
        seen, committed,
        "every committed row once, no rolled-back one: {schedule:?}"
    );
}

#[test]
fn a_cursor_never_skips_a_late_commit_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some((pool, store)) = rt.block_on(async {
        let url = support::postgres_url().await?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(WRITERS as u32 + 1)
            .connect(&url)
            .await
            .expect("pool");
        let store = PgStore::connect(&url, 4).await.expect("store");
        Some((pool, store))
    }) else {
        return;
    };
    let config = ProptestConfig {
        cases: 32,
        ..ProptestConfig::default()
    };
    proptest!(config, |(schedule in steps())| {
        rt.block_on(run(&pool, &store, &schedule));
    });
}

/// The rule's reason: reading by number alone, a transaction that took its number first
/// and committed last is skipped by a reader that read in between. The feed's reader
/// sees it.
#[test]
fn a_late_commit_with_an_early_number_is_still_read_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let Some(url) = support::postgres_url().await else {
            return;
        };
        let pool = PgPool::connect(&url).await.expect("pool");
        let store = PgStore::connect(&url, 4).await.expect("store");
        let schedule = [
            Step::Write(0),
            Step::Write(1),
            Step::End(1, true),
            Step::Read,
            Step::End(0, true),
            Step::Read,
        ];
        run(&pool, &store, &schedule).await;
        // Numbered alone, the first row (number n) sorts before the second (n + 1), which
        // a reader passed before the first committed.
        let (first, second): (i64, i64) = sqlx::query_as("SELECT min(seq), max(seq) FROM changes")
            .fetch_one(&pool)
            .await
            .expect("numbers");
        assert!(first < second);
    });
}
