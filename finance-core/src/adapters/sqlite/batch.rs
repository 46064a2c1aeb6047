//! One batch of movements in one transaction, in as few statements as the batch allows:
//! each account's balance read once, every key recorded by one INSERT, every movement
//! inserted by one more, each balance stored once. Outcomes are those of writing the
//! movements one after another in queue order.
//!
//! A write that is refused (a missing account, an overflow, a key used with another
//! request) is found out before anything of it is kept, so it needs no savepoint to leave
//! the others alone; the only thing taken back is the key of a write refused for overflow.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::SqliteStore;
use crate::adapters::sql::movements::{ROWS_PER_INSERT, moved};
use crate::domain::{AccountId, Change, Money, Movement, Refusal, UserId};
use crate::ports::{Added, IdempotencyKey, StoreError};

/// One movement to write.
pub(super) struct Write<'a> {
    pub(super) owner: UserId,
    pub(super) movement: &'a Movement,
    /// Its history entry.
    pub(super) change: &'a Change,
    pub(super) key: Option<&'a IdempotencyKey>,
}

/// The balances a batch moves, read once each and stored once at its end, and whether each
/// writer may write to each account (for one that may not: missing, not a member, a
/// viewer, archived, why). Several members may write to one account in a batch: its
/// balance is one.
#[derive(Default)]
struct Balances {
    allowed: HashMap<(UserId, AccountId), Result<(), StoreError>>,
    of: HashMap<AccountId, Balance>,
}

impl Balances {
    /// The balance `w` moves, if its writer may.
    fn get(&mut self, w: &Write<'_>) -> Result<&mut Balance, StoreError> {
        match self.allowed.get(&(w.owner, w.movement.account_id)) {
            Some(Ok(())) => self
                .of
                .get_mut(&w.movement.account_id)
                .ok_or(StoreError::NotFound),
            Some(Err(refused)) => Err(refused.clone()),
            None => Err(StoreError::NotFound),
        }
    }
}

struct Balance {
    money: Money,
    moved: bool,
    /// The latest reconciled day: nothing may be dated on or before it.
    reconciled_on: Option<time::Date>,
}

impl Balance {
    /// The balance with `m` added: `Refused` when `m` is dated where the account is
    /// reconciled, `BalanceOverflow` out of range.
    fn moved_by(&self, m: &Movement) -> Result<Money, StoreError> {
        match self.reconciled_on {
            Some(through) if m.occurred_on <= through => {
                Err(StoreError::Refused(Refusal::Reconciled))
            }
            _ => moved(self.money, m),
        }
    }
}

/// What became of a write while the batch is decided.
// Unboxed: one short-lived vector per batch, and a box would be an allocation per write.
#[allow(clippy::large_enum_variant)]
enum Decided {
    Done(Result<Added, StoreError>),
    /// Its key was recorded before (answered once the movements are in).
    Replay,
}

/// Writes the batch and commits it. An error fails the whole batch (nothing of it
/// commits); each write's own refusal is its outcome.
pub(super) async fn write_batch(
    writer: &SqlitePool,
    batch: &[Write<'_>],
) -> Result<Vec<Result<Added, StoreError>>, StoreError> {
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
    let conn: &mut SqliteConnection = &mut tx;
    let mut balances = Balances::default();
    for w in batch {
        let account = w.movement.account_id;
        if let Entry::Vacant(e) = balances.allowed.entry((w.owner, account)) {
            e.insert(
                match SqliteStore::lock_books(conn, w.owner, account).await {
                    Ok(books) => {
                        balances.of.entry(account).or_insert(Balance {
                            money: books.balance,
                            moved: false,
                            reconciled_on: books.reconciled_on,
                        });
                        Ok(())
                    }
                    Err(
                        refused @ (StoreError::NotFound
                        | StoreError::Forbidden
                        | StoreError::Refused(_)),
                    ) => Err(refused),
                    Err(other) => return Err(other),
                },
            );
        }
    }
    let found = |w: &Write<'_>| {
        matches!(
            balances.allowed.get(&(w.owner, w.movement.account_id)),
            Some(Ok(()))
        )
    };
    let keyed: Vec<&Write<'_>> = batch
        .iter()
        .filter(|w| w.key.is_some() && found(w))
        .collect();
    let recorded = record_keys(conn, &keyed).await?;

    // In queue order, as if one at a time: the first write with a newly recorded key
    // claims it; later ones with that key, and those whose key was recorded before, replay.
    let mut claimed_by: HashMap<(UserId, &str), usize> = HashMap::new();
    let mut decided = Vec::with_capacity(batch.len());
    let mut refused_keys = Vec::new();
    for (i, w) in batch.iter().enumerate() {
        let balance = match balances.get(w) {
            Ok(balance) => balance,
            Err(refused) => {
                decided.push(Decided::Done(Err(refused)));
                continue;
            }
        };
        if let Some(key) = w.key {
            let id = (w.owner, key.key.as_str());
            if !recorded.contains(&(w.owner.0, key.key.clone())) || claimed_by.contains_key(&id) {
                decided.push(Decided::Replay);
                continue;
            }
            claimed_by.insert(id, i);
        }
        match balance.moved_by(w.movement) {
            Ok(money) => {
                balance.money = money;
                balance.moved = true;
                decided.push(Decided::Done(Ok(Added::Created {
                    movement: w.movement.clone(),
                    balance: money,
                })));
            }
            Err(refused) => {
                if let Some(key) = w.key {
                    refused_keys.push((w.owner, key));
                }
                decided.push(Decided::Done(Err(refused)));
            }
        }
    }

    let created: Vec<&Write<'_>> = batch
        .iter()
        .zip(&decided)
        .filter(|(_, d)| matches!(d, Decided::Done(Ok(_))))
        .map(|(w, _)| w)
        .collect();
    SqliteStore::insert_rows(conn, created.iter().map(|w| w.movement)).await?;
    let changes: Vec<&Change> = created.iter().map(|w| w.change).collect();
    let hooked = SqliteStore::record_hooked(conn, &changes).await?;
    if hooked && !created.is_empty() && SqliteStore::budgets_watched(conn).await? {
        for w in &created {
            SqliteStore::alert_budgets(conn, w.movement).await?;
        }
    }
    for (owner, key) in &refused_keys {
        forget_key(conn, *owner, key).await?;
    }

    let mut outcomes = Vec::with_capacity(batch.len());
    for (w, d) in batch.iter().zip(decided) {
        outcomes.push(match d {
            Decided::Done(outcome) => outcome,
            Decided::Replay => replay(conn, &mut balances, &claimed_by, &refused_keys, w).await?,
        });
    }
    for (account, balance) in balances.of {
        if balance.moved {
            SqliteStore::store_balance(conn, account, balance.money).await?;
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Records the keys (one INSERT per few hundred) and returns those that were new.
async fn record_keys(
    conn: &mut SqliteConnection,
    keyed: &[&Write<'_>],
) -> Result<HashSet<(Uuid, String)>, StoreError> {
    let mut recorded = HashSet::new();
    for chunk in keyed.chunks(ROWS_PER_INSERT) {
        let mut sql = QueryBuilder::<Sqlite>::new(
            "INSERT INTO idempotency_keys (user_id, key, fingerprint, movement_id, created_at) ",
        );
        sql.push_values(chunk, |mut row, w| {
            let key = w.key.map(|k| (k.key.clone(), k.fingerprint.clone()));
            let (key, fingerprint) = key.unwrap_or_default();
            row.push_bind(w.owner.0)
                .push_bind(key)
                .push_bind(fingerprint)
                .push_bind(w.movement.id.0)
                .push_bind(w.movement.created_at);
        });
        sql.push(" ON CONFLICT (user_id, key) DO NOTHING RETURNING user_id, key");
        let rows: Vec<(Uuid, String)> = sql.build_query_as().fetch_all(&mut *conn).await?;
        recorded.extend(rows);
    }
    Ok(recorded)
}

/// The answer to a write whose key was recorded already: by an earlier batch (read back),
/// by a write of this batch (its movement), or by a write of this batch that was then
/// refused, whose key is free again, so this write is made now, on its own.
async fn replay(
    conn: &mut SqliteConnection,
    balances: &mut Balances,
    claimed_by: &HashMap<(UserId, &str), usize>,
    refused_keys: &[(UserId, &IdempotencyKey)],
    w: &Write<'_>,
) -> Result<Result<Added, StoreError>, StoreError> {
    let Some(key) = w.key else {
        return Ok(Err(StoreError::NotFound));
    };
    let freed = refused_keys
        .iter()
        .any(|(owner, k)| *owner == w.owner && k.key == key.key);
    if freed && claimed_by.contains_key(&(w.owner, key.key.as_str())) {
        return write_alone(conn, balances, w, key).await;
    }
    let Ok(balance) = balances.get(w) else {
        return Ok(Err(StoreError::NotFound));
    };
    // Read back, whether recorded by this batch or before: the movement is in by now.
    Ok(SqliteStore::replay(conn, w.owner, key, balance.money.currency()).await)
}

/// One write on its own, inside the batch's transaction: record the key, move the balance,
/// insert the row.
async fn write_alone(
    conn: &mut SqliteConnection,
    balances: &mut Balances,
    w: &Write<'_>,
    key: &IdempotencyKey,
) -> Result<Result<Added, StoreError>, StoreError> {
    let Ok(balance) = balances.get(w) else {
        return Ok(Err(StoreError::NotFound));
    };
    if record_keys(conn, &[w]).await?.is_empty() {
        return Ok(SqliteStore::replay(conn, w.owner, key, balance.money.currency()).await);
    }
    match balance.moved_by(w.movement) {
        Ok(money) => {
            SqliteStore::insert_rows(conn, [w.movement]).await?;
            SqliteStore::record(conn, &[w.change]).await?;
            balance.money = money;
            balance.moved = true;
            Ok(Ok(Added::Created {
                movement: w.movement.clone(),
                balance: money,
            }))
        }
        Err(refused) => {
            forget_key(conn, w.owner, key).await?;
            Ok(Err(refused))
        }
    }
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
