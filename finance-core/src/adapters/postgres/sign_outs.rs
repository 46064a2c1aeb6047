//! Sign-outs known in memory, so that the check every authenticated request makes costs no
//! round trip to the database (it was half of a read's database work).
//!
//! Each sign-out is written with a `NOTIFY` in the same statement, so it is announced only
//! if it commits. Every server listens on its own connection: it subscribes, loads every
//! sign-out still in force, and from then on applies what it is told. The server that
//! records a sign-out applies it before answering, so it refuses the token at once; other
//! servers refuse it once the notification arrives (well under a millisecond on one
//! network). While a server is not subscribed (starting, or its listening connection
//! lost), it asks the database on every request, as before; on subscribing again it loads
//! everything, so nothing announced in between is missed. A connection that goes silent
//! without failing is caught by the reload every 30 seconds (5 seconds' timeout).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use serde::Deserialize;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::PgStore;
use crate::adapters::sql::limits::{SIGNED_OUT, SignOutRow};
use crate::domain::UserId;
use crate::ports::{Revocations, StoreError, TokenIdentity};

/// Named in the statements below too.
const CHANNEL: &str = "finance_sign_outs";
/// How long to wait before subscribing again after the listening connection failed.
const RETRY: StdDuration = StdDuration::from_secs(1);
/// How often everything is loaded again: bounds how long a listening connection that went
/// silent (a network cut, no error) can leave memory behind, and forgets expired tokens.
const REFRESH: StdDuration = StdDuration::from_secs(30);
const RELOAD_TIMEOUT: StdDuration = StdDuration::from_secs(5);

/// One sign-out as announced: the JSON that the recording statement builds.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SignOut {
    Token {
        token: String,
        #[serde(with = "time::serde::rfc3339")]
        expires_at: OffsetDateTime,
    },
    AllOf {
        user: Uuid,
        #[serde(with = "time::serde::rfc3339")]
        before: OffsetDateTime,
    },
}

#[derive(Default)]
struct Known {
    /// False until subscribed and loaded, and again whenever the subscription is lost.
    synced: bool,
    tokens: HashMap<String, OffsetDateTime>,
    cutoffs: HashMap<UserId, OffsetDateTime>,
}

impl Known {
    /// Takes in everything in force, merged with what is known rather than replacing it: a
    /// sign-out this process recorded (and applied) after the load's snapshot would
    /// otherwise be forgotten until its notification came back, and the very token just
    /// signed out would pass meanwhile. Sign-outs are never undone, so what is known stays
    /// true; only expired tokens are let go. Memory is trusted from here on.
    fn load(
        &mut self,
        tokens: Vec<(String, OffsetDateTime)>,
        cutoffs: Vec<(Uuid, OffsetDateTime)>,
        now: OffsetDateTime,
    ) {
        self.tokens.retain(|_, expires_at| *expires_at > now);
        self.tokens.extend(tokens);
        for (user, before) in cutoffs {
            self.apply(SignOut::AllOf { user, before });
        }
        self.synced = true;
    }

    fn apply(&mut self, sign_out: SignOut) {
        match sign_out {
            SignOut::Token { token, expires_at } => {
                self.tokens.insert(token, expires_at);
            }
            SignOut::AllOf { user, before } => {
                let cutoff = self.cutoffs.entry(UserId(user)).or_insert(before);
                *cutoff = (*cutoff).max(before);
            }
        }
    }
}

struct Shared {
    known: RwLock<Known>,
    /// Dropped with the last clone of the store, which stops the listening task.
    _alive: mpsc::Sender<()>,
    stopped: Mutex<Option<mpsc::Receiver<()>>>,
}

/// The sign-outs a Postgres store knows, shared by its clones.
#[derive(Clone)]
pub struct SignOuts(Arc<Shared>);

impl std::fmt::Debug for SignOuts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignOuts").finish_non_exhaustive()
    }
}

impl Default for SignOuts {
    fn default() -> Self {
        let (alive, stopped) = mpsc::channel(1);
        Self(Arc::new(Shared {
            known: RwLock::new(Known::default()),
            _alive: alive,
            stopped: Mutex::new(Some(stopped)),
        }))
    }
}

impl SignOuts {
    /// Starts listening on a connection of its own (so no pool slot is held by it). Until
    /// this is called, and whenever it is not subscribed, every check asks the database.
    pub(super) fn follow(&self, options: PgConnectOptions) {
        let Some(stopped) = self.0.stopped.lock().ok().and_then(|mut s| s.take()) else {
            return;
        };
        // Named, so that it shows as what it is in pg_stat_activity: "<the store's
        // application_name> sign-outs".
        let name = format!(
            "{} sign-outs",
            options.get_application_name().unwrap_or("finance")
        );
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options.application_name(&name));
        tokio::spawn(listen(pool, Arc::downgrade(&self.0), stopped));
    }

    /// Whether the token is signed out, or `None` when not subscribed.
    fn verdict(&self, token: &TokenIdentity) -> Option<bool> {
        let known = self.0.known.read().ok()?;
        known.synced.then(|| {
            known.tokens.contains_key(&token.id)
                || known
                    .cutoffs
                    .get(&token.user)
                    .is_some_and(|t| token.issued_at < *t)
        })
    }

    fn apply(&self, payload: &str) {
        match serde_json::from_str::<SignOut>(payload) {
            Ok(sign_out) => {
                if let Ok(mut known) = self.0.known.write() {
                    known.apply(sign_out);
                }
            }
            // Not ours to read: stop trusting memory rather than miss a sign-out.
            Err(e) => {
                tracing::warn!(error = %e, payload, "unreadable sign-out notification");
                self.set_synced(false);
            }
        }
    }

    fn set_synced(&self, synced: bool) {
        if let Ok(mut known) = self.0.known.write() {
            known.synced = synced;
        }
    }
}

/// Subscribes, loads, applies notifications; starts over when the connection fails, and
/// ends when the store is gone.
async fn listen(pool: PgPool, shared: Weak<Shared>, mut stopped: mpsc::Receiver<()>) {
    loop {
        tokio::select! {
            failed = follow_once(&pool, &shared) => {
                if let Some(shared) = shared.upgrade() {
                    SignOuts(shared).set_synced(false);
                }
                if let Err(e) = failed {
                    tracing::warn!(error = %e, "following sign-outs failed; checking the database until it works again");
                }
            }
            _ = stopped.recv() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(RETRY) => {}
            _ = stopped.recv() => return,
        }
    }
}

/// One subscription: returns when its connection is lost.
async fn follow_once(pool: &PgPool, shared: &Weak<Shared>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // Told of a lost connection rather than reconnected silently: what was announced in
    // between would be missed.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    // Subscribed first, then loaded: a sign-out in between is both loaded and announced,
    // and applying it twice changes nothing.
    if !reload(&mut listener, shared).await? {
        return Ok(());
    }
    let mut refresh = tokio::time::interval(REFRESH);
    refresh.tick().await;
    loop {
        tokio::select! {
            next = listener.try_recv() => match (next?, shared.upgrade()) {
                (Some(notification), Some(shared)) => SignOuts(shared).apply(notification.payload()),
                _ => return Ok(()),
            },
            _ = refresh.tick() => {
                if !reload(&mut listener, shared).await? {
                    return Ok(());
                }
            }
        }
    }
}

/// Loads every sign-out in force (on the listening connection, its pool's only one) and
/// marks memory as synced; false if the store is gone. A connection that went silent
/// without failing is caught here: past the timeout, memory is no longer trusted.
async fn reload(listener: &mut PgListener, shared: &Weak<Shared>) -> Result<bool, sqlx::Error> {
    let load = async {
        let now = OffsetDateTime::now_utc();
        let tokens: Vec<(String, OffsetDateTime)> =
            sqlx::query_as("SELECT token_id, expires_at FROM revoked_tokens WHERE expires_at > $1")
                .bind(now)
                .fetch_all(&mut *listener)
                .await?;
        let cutoffs: Vec<(Uuid, OffsetDateTime)> =
            sqlx::query_as("SELECT user_id, not_before FROM token_cutoffs")
                .fetch_all(&mut *listener)
                .await?;
        Ok::<_, sqlx::Error>((tokens, cutoffs))
    };
    let (tokens, cutoffs) = tokio::time::timeout(RELOAD_TIMEOUT, load)
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)??;
    let Some(shared) = shared.upgrade() else {
        return Ok(false);
    };
    let mut known = shared
        .known
        .write()
        .map_err(|_| sqlx::Error::Protocol("sign-out state poisoned".into()))?;
    known.load(tokens, cutoffs, OffsetDateTime::now_utc());
    Ok(true)
}

// Each statement records a sign-out and announces it in one commit, and answers with what
// it announced, so that this server applies exactly what the others will.
const REVOKE_TOKEN: &str = "\
    WITH recorded AS ( \
        INSERT INTO revoked_tokens (token_id, expires_at) VALUES ($1, $2) \
        ON CONFLICT (token_id) DO NOTHING RETURNING token_id, expires_at \
    ), announced AS ( \
        SELECT json_build_object('token', token_id, 'expires_at', expires_at)::text AS payload \
        FROM recorded \
    ) \
    SELECT payload FROM announced, LATERAL (SELECT pg_notify('finance_sign_outs', payload)) AS sent";

const REVOKE_ALL: &str = "\
    WITH recorded AS ( \
        INSERT INTO token_cutoffs (user_id, not_before) VALUES ($1, $2) \
        ON CONFLICT (user_id) DO UPDATE SET not_before = excluded.not_before \
        RETURNING user_id, not_before \
    ), announced AS ( \
        SELECT json_build_object('user', user_id, 'before', not_before)::text AS payload \
        FROM recorded \
    ) \
    SELECT payload FROM announced, LATERAL (SELECT pg_notify('finance_sign_outs', payload)) AS sent";

#[async_trait]
impl Revocations for PgStore {
    async fn revoke_token(&self, token: &TokenIdentity) -> Result<(), StoreError> {
        let announced: Option<String> = sqlx::query_scalar(REVOKE_TOKEN)
            .bind(&token.id)
            .bind(token.expires_at)
            .fetch_optional(&self.writer)
            .await?;
        // None: signed out before, and known since.
        if let Some(payload) = announced {
            self.engine.apply(&payload);
        }
        Ok(())
    }

    async fn revoke_all(&self, user: UserId, before: OffsetDateTime) -> Result<(), StoreError> {
        let announced: String = sqlx::query_scalar(REVOKE_ALL)
            .bind(user.0)
            .bind(before)
            .fetch_one(&self.writer)
            .await?;
        self.engine.apply(&announced);
        Ok(())
    }

    async fn is_revoked(&self, token: &TokenIdentity) -> Result<bool, StoreError> {
        if let Some(verdict) = self.engine.verdict(token) {
            return Ok(verdict);
        }
        let row = sqlx::query_as::<_, SignOutRow>(SIGNED_OUT)
            .bind(&token.id)
            .bind(token.user.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.revokes(token))
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;

    #[test]
    fn a_reload_keeps_what_was_signed_out_after_its_snapshot() {
        let now = OffsetDateTime::now_utc();
        let mut known = Known::default();
        // Signed out here while the reload's queries ran: not in what they read.
        known.apply(SignOut::Token {
            token: "just-now".into(),
            expires_at: now + Duration::days(1),
        });
        known.apply(SignOut::Token {
            token: "expired".into(),
            expires_at: now - Duration::seconds(1),
        });
        let user = Uuid::new_v4();
        known.apply(SignOut::AllOf { user, before: now });
        known.load(
            vec![("older".into(), now + Duration::days(1))],
            vec![(user, now - Duration::hours(1))],
            now,
        );
        assert!(known.synced);
        assert!(known.tokens.contains_key("just-now"));
        assert!(known.tokens.contains_key("older"));
        assert!(!known.tokens.contains_key("expired"));
        assert_eq!(known.cutoffs.get(&UserId(user)), Some(&now));
    }
}
