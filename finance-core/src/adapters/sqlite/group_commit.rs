//! Group commit: SQLite takes one writer at a time and, with `synchronous=FULL`, each
//! commit waits for the disk. So one task writes every movement: it takes all the writes
//! queued while the last commit was on its way to disk into one transaction (see
//! `batch`), commits once, and only then answers each. A 201 still means the movement is
//! on disk.
//!
//! The task owns the work: a request that hangs up after queueing its write does not cancel
//! it, so what was started finishes, as a spawned use case does on Postgres.

use std::sync::{Arc, OnceLock};

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::SqliteStore;
use super::batch::{Write, write_batch};
use crate::domain::{Change, Movement, UserId};
use crate::ports::{Added, Cause, IdempotencyKey, StoreError};

/// Writes taken into one transaction at most: bounds the time a batch holds the lock.
const MAX_BATCH: usize = 256;
/// Writes waiting at most; past this, callers wait to queue (back-pressure, not memory).
const QUEUE: usize = 1024;

/// One movement to write, and where its outcome goes.
struct Job {
    owner: UserId,
    movement: Movement,
    /// Its history entry, made by the caller (not in the one writing task).
    change: Change,
    key: Option<IdempotencyKey>,
    reply: oneshot::Sender<Result<Added, StoreError>>,
}

/// The queue to the writing task, started by the first write (inside the runtime that
/// makes it); the task ends when the last clone of the store is dropped.
#[derive(Clone, Debug, Default)]
pub struct GroupCommit(Arc<OnceLock<mpsc::Sender<Job>>>);

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
            change: Change::created(owner, movement),
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
    let writes: Vec<Write<'_>> = batch
        .iter()
        .map(|j| Write {
            owner: j.owner,
            movement: &j.movement,
            change: &j.change,
            key: j.key.as_ref(),
        })
        .collect();
    match write_batch(writer, &writes).await {
        Ok(outcomes) => outcomes,
        // The transaction did not commit, so no write of the batch stands.
        Err(e) => batch.iter().map(|_| Err(e.clone())).collect(),
    }
}
