//! Rules for both engines: kept in position order per user (each write that moves one
//! renumbers the rest in its transaction, with the user's row locked so two writes of one
//! user do not interleave), and an apply's changes written in one transaction.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use super::SqlStore;
use super::engine::{Engine, Run, V};
use super::{corrupt, count};
use crate::domain::{
    AccountId, Actions, Change, Conditions, Fed, FeedAction, FeedEntity, Movement, Refusal, Rule,
    RuleId, UserId, tags_to_text,
};
use crate::ports::{IdempotencyKey, RuleRepository, StoreError};

const SELECT: &str = "SELECT r.id, r.owner_id, r.position, r.name, r.conditions, r.actions, \
    r.created_at, r.updated_at, \
    (SELECT count(*) FROM movements m WHERE m.rule_id = r.id) AS applied FROM rules r";

#[derive(sqlx::FromRow)]
pub struct RuleRow {
    id: Uuid,
    owner_id: Uuid,
    position: i32,
    name: String,
    conditions: String,
    actions: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    applied: i64,
}

impl TryFrom<RuleRow> for Rule {
    type Error = StoreError;

    fn try_from(r: RuleRow) -> Result<Self, StoreError> {
        let when: Conditions =
            serde_json::from_str(&r.conditions).map_err(|e| corrupt("rule conditions", e))?;
        let then: Actions =
            serde_json::from_str(&r.actions).map_err(|e| corrupt("rule actions", e))?;
        Ok(Rule {
            id: RuleId(r.id),
            owner_id: UserId(r.owner_id),
            name: r.name,
            position: u32::try_from(r.position).unwrap_or(1),
            when,
            then,
            applied: count(r.applied),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| corrupt("rule", e))
}

/// A position as stored.
fn stored(position: u32) -> i32 {
    i32::try_from(position).unwrap_or(i32::MAX)
}

impl<E: Engine> SqlStore<E> {
    /// Locks the user's row (Postgres; SQLite's write transactions are one at a time) and
    /// counts their rules.
    async fn lock_rules(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
    ) -> Result<u32, StoreError> {
        sqlx::query::<E::Db>("UPDATE users SET email = email WHERE id = $1")
            .bind(V(&owner.0))
            .run(&mut *conn)
            .await?;
        let (n,): (i64,) = sqlx::query::<E::Db>("SELECT count(*) FROM rules WHERE owner_id = $1")
            .bind(V(&owner.0))
            .one(&mut *conn)
            .await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn read_rule(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        id: RuleId,
    ) -> Result<Option<Rule>, StoreError> {
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.id = $1 AND r.owner_id = $2"
        )))
        .bind(V(&id.0))
        .bind(V(&owner.0))
        .optional::<RuleRow>(&mut *conn)
        .await?
        .map(Rule::try_from)
        .transpose()
    }

    /// Moves the rules from `from` to `to` (inclusive) by `by` (one up or down).
    async fn shift(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        from: u32,
        to: u32,
        by: i32,
    ) -> Result<(), StoreError> {
        sqlx::query::<E::Db>(
            "UPDATE rules SET position = position + $4 \
             WHERE owner_id = $1 AND position >= $2 AND position <= $3",
        )
        .bind(V(&owner.0))
        .bind(V(&stored(from)))
        .bind(V(&stored(to)))
        .bind(V(&by))
        .run(&mut *conn)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl<E: Engine> RuleRepository for SqlStore<E> {
    async fn create_rule(
        &self,
        rule: &Rule,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(Rule, bool), StoreError> {
        let owner = rule.owner_id;
        let mut tx = self.begin_write().await?;
        if let Some(key) = &idempotency
            && !Self::record_key(&mut tx, owner, key, rule.id.0, rule.created_at).await?
        {
            let first = RuleId(Self::recorded_for(&mut tx, owner, key).await?);
            let found = Self::read_rule(&mut tx, owner, first).await?;
            // The first rule may have been deleted since: its key answers nothing more.
            return found.map(|r| (r, true)).ok_or(StoreError::NotFound);
        }
        let n = Self::lock_rules(&mut tx, owner).await?;
        let position = rule.position.clamp(1, n.saturating_add(1));
        Self::shift(&mut tx, owner, position, u32::MAX, 1).await?;
        sqlx::query::<E::Db>(
            "INSERT INTO rules (id, owner_id, position, name, conditions, actions, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(V(&rule.id.0))
        .bind(V(&owner.0))
        .bind(V(&stored(position)))
        .bind(V(&rule.name))
        .bind(V(&json(&rule.when)?))
        .bind(V(&json(&rule.then)?))
        .bind(V(&rule.created_at))
        .bind(V(&rule.updated_at))
        .run(&mut *tx)
        .await?;
        Self::feed_rules(&mut tx, owner, rule.created_at).await?;
        tx.commit().await?;
        Ok((
            Rule {
                position,
                ..rule.clone()
            },
            false,
        ))
    }

    async fn rules(&self, owner: UserId) -> Result<Vec<Rule>, StoreError> {
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE r.owner_id = $1 ORDER BY r.position, r.created_at"
        )))
        .bind(V(&owner.0))
        .all::<RuleRow>(&self.pool)
        .await?
        .into_iter()
        .map(Rule::try_from)
        .collect()
    }

    async fn get_rule(&self, owner: UserId, id: RuleId) -> Result<Option<Rule>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::read_rule(&mut conn, owner, id).await
    }

    async fn update_rule(&self, rule: &Rule) -> Result<Rule, StoreError> {
        let owner = rule.owner_id;
        let mut tx = self.begin_write().await?;
        let n = Self::lock_rules(&mut tx, owner).await?;
        let before = Self::read_rule(&mut tx, owner, rule.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (old, new) = (before.position, rule.position.clamp(1, n.max(1)));
        if new < old {
            Self::shift(&mut tx, owner, new, old - 1, 1).await?;
        } else if new > old {
            Self::shift(&mut tx, owner, old + 1, new, -1).await?;
        }
        sqlx::query::<E::Db>(
            "UPDATE rules SET position = $3, name = $4, conditions = $5, actions = $6, \
             updated_at = $7 WHERE id = $1 AND owner_id = $2",
        )
        .bind(V(&rule.id.0))
        .bind(V(&owner.0))
        .bind(V(&stored(new)))
        .bind(V(&rule.name))
        .bind(V(&json(&rule.when)?))
        .bind(V(&json(&rule.then)?))
        .bind(V(&rule.updated_at))
        .run(&mut *tx)
        .await?;
        let after = Self::read_rule(&mut tx, owner, rule.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::feed_rules(&mut tx, owner, rule.updated_at).await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn delete_rule(&self, owner: UserId, id: RuleId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        Self::lock_rules(&mut tx, owner).await?;
        let before = Self::read_rule(&mut tx, owner, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query::<E::Db>("DELETE FROM rules WHERE id = $1 AND owner_id = $2")
            .bind(V(&id.0))
            .bind(V(&owner.0))
            .run(&mut *tx)
            .await?;
        Self::shift(&mut tx, owner, before.position + 1, u32::MAX, -1).await?;
        let at = OffsetDateTime::now_utc();
        let gone = Fed::for_user(
            owner,
            at,
            FeedEntity::Rule,
            id.0.to_string(),
            FeedAction::Deleted,
        );
        Self::feed(&mut tx, &[gone]).await?;
        Self::feed_rules(&mut tx, owner, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn apply_rule(
        &self,
        user: UserId,
        rule: RuleId,
        changes: &[(Movement, Movement)],
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(u64, bool), StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(key) = &idempotency {
            let at = changes
                .first()
                .map_or_else(OffsetDateTime::now_utc, |(_, after)| after.updated_at);
            if !Self::record_key(&mut tx, user, key, rule.0, at).await? {
                return Self::recorded_answer(&mut tx, user, key)
                    .await
                    .map(|n| (n, true));
            }
        }
        // Each account once, in one order (two applies lock alike, never crosswise); the
        // writer's role is read there, under lock, as for any write.
        let mut accounts: Vec<AccountId> = changes.iter().map(|(b, _)| b.account_id).collect();
        accounts.sort();
        accounts.dedup();
        let mut books = std::collections::HashMap::new();
        for account in accounts {
            books.insert(account, Self::lock_books(&mut tx, user, account).await?);
        }
        for (before, after) in changes {
            // Reconciled since it was read: read again (the next read leaves it out).
            if books
                .get(&before.account_id)
                .is_some_and(|b| b.open_on(before.occurred_on).is_err())
            {
                return Err(StoreError::Stale);
            }
            let changed = sqlx::query::<E::Db>(
                "UPDATE movements SET description = $3, category = $4, tags = $5, \
                 rule_id = $6, updated_at = $7, updated_by = $8 \
                 WHERE id = $1 AND account_id = $2 AND transfer_id IS NULL \
                 AND coalesce(updated_at, created_at) = $9",
            )
            .bind(V(&before.id.0))
            .bind(V(&before.account_id.0))
            .bind(V(&after.description))
            .bind(V(&after.category))
            .bind(V(&tags_to_text(&after.tags)))
            .bind(V(&after.rule_id.map(|r| r.0)))
            .bind(V(&after.updated_at))
            .bind(V(&after.updated_by.id.0))
            .bind(V(&before.updated_at))
            .run(&mut *tx)
            .await?;
            if changed == 0 {
                return Err(StoreError::Stale);
            }
            Self::replace_details(&mut tx, before, after).await?;
        }
        let history: Vec<Change> = changes
            .iter()
            .map(|(before, after)| Change::movement(user, after.updated_at, before, Some(after)))
            .collect();
        Self::record(&mut tx, &history).await?;
        let n = changes.len() as u64;
        if let Some(key) = &idempotency {
            sqlx::query::<E::Db>(
                "UPDATE idempotency_keys SET answer = $3 WHERE user_id = $1 AND key = $2",
            )
            .bind(V(&user.0))
            .bind(V(&key.key))
            .bind(V(&n.to_string()))
            .run(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok((n, false))
    }
}

impl<E: Engine> SqlStore<E> {
    /// The answer kept with a key recorded before, if it was for the same request.
    async fn recorded_answer(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        user: UserId,
        key: &IdempotencyKey,
    ) -> Result<u64, StoreError> {
        let (fingerprint, answer): (String, Option<String>) = sqlx::query::<E::Db>(
            "SELECT fingerprint, answer FROM idempotency_keys WHERE user_id = $1 AND key = $2",
        )
        .bind(V(&user.0))
        .bind(V(&key.key))
        .one(&mut *conn)
        .await?;
        if fingerprint != key.fingerprint {
            return Err(StoreError::Refused(Refusal::IdempotencyKeyReused));
        }
        answer
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| StoreError::Refused(Refusal::IdempotencyKeyReused))
    }
}

impl<E: Engine> SqlStore<E> {
    /// Feeds every rule of `owner`: a rule added, moved or removed shifts the positions of
    /// the others.
    async fn feed_rules(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        owner: UserId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let ids: Vec<(Uuid,)> = sqlx::query::<E::Db>("SELECT id FROM rules WHERE owner_id = $1")
            .bind(V(&owner.0))
            .all::<(Uuid,)>(&mut *conn)
            .await?;
        let fed: Vec<Fed> = ids
            .into_iter()
            .map(|(id,)| {
                Fed::for_user(
                    owner,
                    at,
                    FeedEntity::Rule,
                    id.to_string(),
                    FeedAction::Upserted,
                )
            })
            .collect();
        Self::feed(conn, &fed).await
    }
}
