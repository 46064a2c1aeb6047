//! Group commit: SQLite takes one writer at a time and, with `synchronous=FULL`, each
//! commit waits for the disk. So one task writes every movement: it takes all the writes
//! queued while the last commit was on its way to disk into one transaction, reading and
//! storing each account's balance once for all of them, commits once, and only then
//! answers each. A 201 still means the movement is on disk. A write that is refused (a
//! missing account, an overflow) is found out before it writes anything, so it needs no
//! savepoint to leave the others alone.
//!
//! The task owns the work: a request that hangs up after queueing its write does not cancel
//! it, so what was started finishes, as a spawned use case does on Postgres.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Arc, OnceLock};

use sqlx::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use super::SqliteStore;
use crate::adapters::sql::movements::moved;
use crate::domain::{AccountId, Money, Movement, UserId};
use crate::ports::{Added, Cause, IdempotencyKey, StoreError};

/// Writes taken into one transaction at most: bounds the time a batch holds the lock.
const MAX_BATCH: usize = 256;
/// Writes waiting at most; past this, callers wait to queue (back-pressure, not memory).
const QUEUE: usize = 1024;

/// One movement to write, and where its outcome goes.
struct Job {
    owner: UserId,
    movement: Movement,
    key: Option<IdempotencyKey>,
    reply: oneshot::Sender<Result<Added, StoreError>>,
}

/// The queue to the writing task, started by the first write (inside the runtime that
/// makes it); the task ends when the last clone of the store is dropped.
#[derive(Clone, Debug, Default)]
pub(crate) struct GroupCommit(Arc<OnceLock<mpsc::Sender<Job>>>);

impl GroupCommit {
    fn sender(&self, writer: &SqlitePool) -> &mpsc::Sender<Job> {
        self.0.get_or_init(|| {
            let (tx, rx) = mpsc::channel(QUEUE);
            tokio::spawn(run(writer.clone(), rx));
            tx
        })
    }
}

impl SqliteStore {
    /// Queues the movement for the next group commit and waits for its outcome.
    pub(super) async fn write_movement(
        &self,
        owner: UserId,
        movement: &Movement,
        key: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError> {
        let (reply, outcome) = oneshot::channel();
        let job = Job {
            owner,
            movement: movement.clone(),
            key,
            reply,
        };
        let stopped = || StoreError::Unavailable(Cause::from("the SQLite writer stopped"));
        self.engine
            .sender(&self.writer)
            .send(job)
            .await
            .map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

async fn run(writer: SqlitePool, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let outcomes = commit(&writer, &batch).await;
        for (job, outcome) in batch.drain(..).zip(outcomes) {
            // The caller may have gone; its write stands all the same.
            let _ = job.reply.send(outcome);
        }
    }
}

/// Writes the batch in one transaction; every outcome is final once this returns.
async fn commit(writer: &SqlitePool, batch: &[Job]) -> Vec<Result<Added, StoreError>> {
    match try_commit(writer, batch).await {
        Ok(outcomes) => outcomes,
        // The transaction did not commit, so no write of the batch stands.
        Err(e) => batch.iter().map(|_| Err(e.clone())).collect(),
    }
}

/// The balances a batch moves, read once each and stored once at its end; `None` for an
/// account that is missing or not the owner's.
type Balances = HashMap<(UserId, AccountId), Option<Balance>>;

struct Balance {
    money: Money,
    moved: bool,
}

/// An error fails the whole batch (nothing of it commits); a job's own refusal (a missing
/// account, an overflow, a mismatched key) is its outcome and writes nothing of it.
async fn try_commit(
    writer: &SqlitePool,
    batch: &[Job],
) -> Result<Vec<Result<Added, StoreError>>, StoreError> {
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
    let mut balances = Balances::new();
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        outcomes.push(SqliteStore::add_in_batch(&mut tx, &mut balances, job).await?);
    }
    for ((_, account), balance) in balances {
        if let Some(Balance { money, moved: true }) = balance {
            SqliteStore::store_balance(&mut tx, account, money).await?;
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

impl SqliteStore {
    /// One job inside the batch's transaction: the account (read once per batch), the
    /// key (a recorded one is replayed), the balance, then the movement row.
    async fn add_in_batch(
        conn: &mut SqliteConnection,
        balances: &mut Balances,
        job: &Job,
    ) -> Result<Result<Added, StoreError>, StoreError> {
        let m = &job.movement;
        let slot = match balances.entry((job.owner, m.account_id)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let found = match Self::lock_account(conn, job.owner, m.account_id).await {
                    Ok(money) => Some(Balance {
                        money,
                        moved: false,
                    }),
                    Err(StoreError::NotFound) => None,
                    Err(other) => return Err(other),
                };
                e.insert(found)
            }
        };
        let Some(balance) = slot else {
            return Ok(Err(StoreError::NotFound));
        };
        if let Some(key) = &job.key
            && !Self::record_key(conn, job.owner, key, m).await?
        {
            let currency = balance.money.currency();
            return Ok(Self::replay(conn, job.owner, key, currency).await);
        }
        let new_balance = match moved(balance.money, m) {
            Ok(money) => money,
            Err(refused) => {
                if let Some(key) = &job.key {
                    Self::forget_key(conn, job.owner, key).await?;
                }
                return Ok(Err(refused));
            }
        };
        Self::insert_row(conn, m).await?;
        *balance = Balance {
            money: new_balance,
            moved: true,
        };
        Ok(Ok(Added::Created {
            movement: m.clone(),
            balance: new_balance,
        }))
    }

    /// Records the key for `m`; false if the owner has used it already.
    async fn record_key(
        conn: &mut SqliteConnection,
        owner: UserId,
        key: &IdempotencyKey,
        m: &Movement,
    ) -> Result<bool, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, movement_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING",
        )
        .bind(owner.0)
        .bind(&key.key)
        .bind(&key.fingerprint)
        .bind(m.id.0)
        .bind(m.created_at)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        Ok(inserted > 0)
    }

    /// Takes back a key recorded for a write that was then refused.
    async fn forget_key(
        conn: &mut SqliteConnection,
        owner: UserId,
        key: &IdempotencyKey,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2")
            .bind(owner.0)
            .bind(&key.key)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
