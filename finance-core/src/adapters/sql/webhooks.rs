//! Webhooks and their deliveries for both engines: the endpoints a user keeps, and the
//! claim, the attempts and the outcome of each delivery. The outbox rows are written by
//! the write paths (`webhook_outbox.rs`).

use async_trait::async_trait;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::engine::{Engine, Run, V};
use super::{SqlStore, corrupt};
use crate::domain::{
    Attempt, Delivery, DeliveryState, Email, EventId, Events, Movement, NewWebhook, UserId,
    Webhook, WebhookId, WebhookStatus,
};
use crate::ports::{Claimed, Finished, Outcome, StoreError, WebhookRepository};

/// A webhook as stored.
#[derive(sqlx::FromRow)]
pub struct WebhookRow {
    id: Uuid,
    url: String,
    events: String,
    created_at: OffsetDateTime,
    failing_since: Option<OffsetDateTime>,
    disabled_at: Option<OffsetDateTime>,
}

impl From<WebhookRow> for Webhook {
    fn from(r: WebhookRow) -> Self {
        Webhook {
            id: WebhookId(r.id),
            url: r.url,
            events: Events::from_stored(&r.events).names(),
            created_at: r.created_at,
            status: match r.disabled_at {
                Some(_) => WebhookStatus::Disabled,
                None => WebhookStatus::Active,
            },
            failing_since: r.failing_since,
        }
    }
}

/// A delivery claimed, with its webhook's URL and sealed secret.
#[derive(sqlx::FromRow)]
pub struct ClaimRow {
    webhook_id: Uuid,
    event_id: Uuid,
    url: String,
    secret: Vec<u8>,
    kind: String,
    created_at: OffsetDateTime,
    data: String,
    attempts: i32,
}

/// A delivery as `GET /webhooks/{id}/deliveries` lists it, before its attempts.
#[derive(sqlx::FromRow)]
pub struct DeliveryRow {
    event_id: Uuid,
    kind: String,
    created_at: OffsetDateTime,
    state: String,
    next_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
pub struct AttemptRow {
    event_id: Uuid,
    at: OffsetDateTime,
    status: Option<i32>,
    error: Option<String>,
    duration_ms: i32,
}

const WEBHOOK_COLUMNS: &str = "id, url, events, created_at, failing_since, disabled_at";

#[async_trait]
impl<E: Engine> WebhookRepository for SqlStore<E> {
    async fn create_webhook(
        &self,
        owner: UserId,
        id: WebhookId,
        hook: &NewWebhook,
        sealed_secret: &[u8],
        at: OffsetDateTime,
    ) -> Result<Webhook, StoreError> {
        let row = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "INSERT INTO webhooks (id, user_id, url, events, secret, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {WEBHOOK_COLUMNS}"
        )))
        .bind(V(&id.0))
        .bind(V(&owner.0))
        .bind(V(hook.url.as_str()))
        .bind(V(hook.events.stored().as_str()))
        .bind(V(&sealed_secret.to_vec()))
        .bind(V(&at))
        .one::<WebhookRow>(&self.writer)
        .await?;
        Ok(row.into())
    }

    async fn webhooks(&self, owner: UserId) -> Result<Vec<Webhook>, StoreError> {
        Ok(sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE user_id = $1 ORDER BY created_at, id"
        )))
        .bind(V(&owner.0))
        .all::<WebhookRow>(&self.pool)
        .await?
        .into_iter()
        .map(Webhook::from)
        .collect())
    }

    async fn delete_webhook(&self, owner: UserId, id: WebhookId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let mine = sqlx::query::<E::Db>("SELECT id FROM webhooks WHERE id = $1 AND user_id = $2")
            .bind(V(&id.0))
            .bind(V(&owner.0))
            .optional::<(Uuid,)>(&mut *tx)
            .await?;
        if mine.is_none() {
            return Err(StoreError::NotFound);
        }
        for table in ["webhook_attempts", "webhook_deliveries"] {
            sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE webhook_id = $1"
            )))
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        }
        sqlx::query::<E::Db>("DELETE FROM webhooks WHERE id = $1")
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn deliveries(
        &self,
        owner: UserId,
        id: WebhookId,
        limit: u16,
    ) -> Result<Vec<Delivery>, StoreError> {
        let mine = sqlx::query::<E::Db>("SELECT id FROM webhooks WHERE id = $1 AND user_id = $2")
            .bind(V(&id.0))
            .bind(V(&owner.0))
            .optional::<(Uuid,)>(&self.pool)
            .await?;
        if mine.is_none() {
            return Err(StoreError::NotFound);
        }
        let latest = "SELECT event_id FROM webhook_deliveries WHERE webhook_id = $1 \
                      ORDER BY created_at DESC, event_id DESC LIMIT $2";
        let rows = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "SELECT event_id, type AS kind, created_at, state, next_at FROM webhook_deliveries \
             WHERE webhook_id = $1 AND event_id IN ({latest}) \
             ORDER BY created_at DESC, event_id DESC"
        )))
        .bind(V(&id.0))
        .bind(V(&i64::from(limit)))
        .all::<DeliveryRow>(&self.pool)
        .await?;
        let attempts = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!(
            "SELECT event_id, at, status, error, duration_ms FROM webhook_attempts \
             WHERE webhook_id = $1 AND event_id IN ({latest}) ORDER BY attempt"
        )))
        .bind(V(&id.0))
        .bind(V(&i64::from(limit)))
        .all::<AttemptRow>(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let state = DeliveryState::from_name(&r.state)
                    .ok_or_else(|| corrupt("delivery state", std::fmt::Error))?;
                Ok(Delivery {
                    id: EventId(r.event_id),
                    kind: r.kind,
                    created_at: r.created_at,
                    state,
                    next_attempt_at: (state == DeliveryState::Pending).then_some(r.next_at),
                    attempts: attempts
                        .iter()
                        .filter(|a| a.event_id == r.event_id)
                        .map(attempt)
                        .collect(),
                })
            })
            .collect()
    }

    async fn claim_deliveries(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u16,
    ) -> Result<Vec<Claimed>, StoreError> {
        let mut tx = self.begin_write().await?;
        // Postgres skips the rows another server is claiming right now (SKIP LOCKED);
        // SQLite has one writer.
        let due = sqlx::query::<E::Db>(E::WEBHOOKS_DUE)
            .bind(V(&now))
            .bind(V(&i64::from(limit)))
            .all::<(Uuid, Uuid)>(&mut *tx)
            .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for (webhook, event) in due {
            sqlx::query::<E::Db>(
                "UPDATE webhook_deliveries SET claimed_until = $3 \
                 WHERE webhook_id = $1 AND event_id = $2",
            )
            .bind(V(&webhook))
            .bind(V(&event))
            .bind(V(&(now + lease)))
            .run(&mut *tx)
            .await?;
            let row = sqlx::query::<E::Db>(
                "SELECT d.webhook_id, d.event_id, w.url, w.secret, d.type AS kind, \
                 d.created_at, d.data, d.attempts FROM webhook_deliveries d \
                 JOIN webhooks w ON w.id = d.webhook_id \
                 WHERE d.webhook_id = $1 AND d.event_id = $2",
            )
            .bind(V(&webhook))
            .bind(V(&event))
            .one::<ClaimRow>(&mut *tx)
            .await?;
            claimed.push(Claimed {
                webhook_id: WebhookId(row.webhook_id),
                event_id: EventId(row.event_id),
                url: row.url,
                sealed_secret: row.secret,
                kind: row.kind,
                created_at: row.created_at,
                data: row.data,
                attempts: u32::try_from(row.attempts).unwrap_or(0),
            });
        }
        tx.commit().await?;
        Ok(claimed)
    }

    async fn finish_delivery(&self, f: &Finished) -> Result<Option<OffsetDateTime>, StoreError> {
        let mut tx = self.begin_write().await?;
        let (state, next_at) = match f.outcome {
            Outcome::Delivered => (DeliveryState::Delivered, f.attempt.at),
            Outcome::Retry(at) => (DeliveryState::Pending, at),
            Outcome::GaveUp => (DeliveryState::Failed, f.attempt.at),
        };
        let attempt: Option<(i32,)> = sqlx::query::<E::Db>(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, state = $3, next_at = $4, \
             claimed_until = NULL WHERE webhook_id = $1 AND event_id = $2 RETURNING attempts",
        )
        .bind(V(&f.webhook_id.0))
        .bind(V(&f.event_id.0))
        .bind(V(state.name()))
        .bind(V(&next_at))
        .optional(&mut *tx)
        .await?;
        // Deleted meanwhile (with its webhook): nothing to record.
        let Some((number,)) = attempt else {
            return Ok(None);
        };
        sqlx::query::<E::Db>(
            "INSERT INTO webhook_attempts \
             (webhook_id, event_id, attempt, at, status, error, duration_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(V(&f.webhook_id.0))
        .bind(V(&f.event_id.0))
        .bind(V(&number))
        .bind(V(&f.attempt.at))
        .bind(V(&f.attempt.status.map(i64::from)))
        .bind(V(&f.attempt.error))
        .bind(V(&i64::from(f.attempt.duration_ms)))
        .run(&mut *tx)
        .await?;
        let failing: Option<(Option<OffsetDateTime>,)> = match f.outcome {
            Outcome::Delivered => sqlx::query::<E::Db>(
                "UPDATE webhooks SET failing_since = NULL WHERE id = $1 RETURNING failing_since",
            )
            .bind(V(&f.webhook_id.0))
            .optional(&mut *tx)
            .await?,
            _ => {
                sqlx::query::<E::Db>(
                    "UPDATE webhooks SET failing_since = coalesce(failing_since, $2) \
                 WHERE id = $1 RETURNING failing_since",
                )
                .bind(V(&f.webhook_id.0))
                .bind(V(&f.attempt.at))
                .optional(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(failing.and_then(|(since,)| since))
    }

    async fn disable_webhook(
        &self,
        id: WebhookId,
        at: OffsetDateTime,
    ) -> Result<Option<Email>, StoreError> {
        let mut tx = self.begin_write().await?;
        let owner: Option<(String,)> = sqlx::query::<E::Db>(
            "UPDATE webhooks SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL \
             RETURNING (SELECT email FROM users WHERE users.id = webhooks.user_id)",
        )
        .bind(V(&id.0))
        .bind(V(&at))
        .optional(&mut *tx)
        .await?;
        sqlx::query::<E::Db>(
            "UPDATE webhook_deliveries SET state = 'failed', claimed_until = NULL \
             WHERE webhook_id = $1 AND state = 'pending'",
        )
        .bind(V(&id.0))
        .run(&mut *tx)
        .await?;
        tx.commit().await?;
        owner
            .map(|(email,)| Email::parse(&email).map_err(|e| corrupt("email", e)))
            .transpose()
    }

    async fn budget_alerts(&self, movement: &Movement) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let fired = Self::alert_budgets(&mut tx, movement).await?;
        tx.commit().await?;
        Ok(fired)
    }
}

impl<E: Engine> SqlStore<E> {
    /// Deletes the deliveries done with (delivered or failed) before `cutoff`, with their
    /// attempts; how many. Pending ones stay, whatever their age, until they are done.
    pub(crate) async fn purge_deliveries(&self, cutoff: OffsetDateTime) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<E::Db>(
            "DELETE FROM webhook_attempts WHERE (webhook_id, event_id) IN \
             (SELECT webhook_id, event_id FROM webhook_deliveries \
              WHERE state <> 'pending' AND created_at < $1)",
        )
        .bind(V(&cutoff))
        .run(&mut *tx)
        .await?;
        let gone = sqlx::query::<E::Db>(
            "DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < $1",
        )
        .bind(V(&cutoff))
        .run(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(gone)
    }
}

fn attempt(a: &AttemptRow) -> Attempt {
    Attempt {
        at: a.at,
        status: a.status.and_then(|s| u16::try_from(s).ok()),
        error: a.error.clone(),
        duration_ms: u32::try_from(a.duration_ms).unwrap_or(0),
    }
}
