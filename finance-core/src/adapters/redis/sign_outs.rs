//! Sign-outs shared through Redis, so that every server refuses a signed-out token from
//! its next request; the database keeps the record of them.

use super::*;

/// Moves a user's sign-out time on, never back (two sign-outs may cross on their way).
const SIGN_OUT_ALL: &str = r"
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
";

/// Sign-outs that every server sees at once: recorded in the database (which stays the
/// record, and tells each server by its own means within a moment) and in Redis, which
/// every server asks on each request. Asking Redis closes the moment between a sign-out
/// answered on one server and the next request landing on another; a Redis that is down
/// or lost a write in a failover leaves the database's answer, never a wrongly refused
/// token.
pub struct SharedSignOuts {
    record: Arc<dyn Revocations>,
    redis: RedisOtpStore,
    /// How long a token lives: a user's sign-out time matters no longer than that.
    token_ttl: Duration,
    /// Until when (Unix milliseconds) Redis is not asked after it failed: a Redis cut off
    /// without refusing connections would otherwise cost each request its full timeout.
    resting_until: AtomicI64,
}

/// How long Redis is left alone after a failed sign-out read.
const REST: Duration = Duration::seconds(1);

impl SharedSignOuts {
    /// Sign-outs kept in `record` and shared through `redis`.
    pub fn new(record: Arc<dyn Revocations>, redis: RedisOtpStore, token_ttl: Duration) -> Self {
        Self {
            record,
            redis,
            token_ttl,
            resting_until: AtomicI64::new(0),
        }
    }

    async fn shared(&self, token: &TokenIdentity) -> Result<bool, StoreError> {
        let [all, one] = self.redis.sign_out_keys(token.user, &token.id);
        let (before, revoked): (Option<i64>, Option<i64>) = redis::cmd("MGET")
            .arg(all)
            .arg(one)
            .query_async(&mut self.redis.conn.clone())
            .await
            .map_err(map_err)?;
        Ok(revoked.is_some() || before.is_some_and(|t| unix_millis(token.issued_at) < t))
    }
}

/// A sign-out Redis did not take still stands: it is in the database, which tells the
/// other servers by notification.
fn warn_unshared<T>(shared: redis::RedisResult<T>) {
    if let Err(e) = shared {
        tracing::warn!(error = %e, "sign-out not shared through Redis; the database tells the other servers");
    }
}

#[async_trait]
impl Revocations for SharedSignOuts {
    async fn revoke_token(&self, token: &TokenIdentity) -> Result<(), StoreError> {
        self.record.revoke_token(token).await?;
        let keep = (token.expires_at - OffsetDateTime::now_utc()).max(Duration::ZERO)
            + Duration::minutes(1);
        let [_, key] = self.redis.sign_out_keys(token.user, &token.id);
        let shared = redis::cmd("SET")
            .arg(key)
            .arg(1)
            .arg("PX")
            .arg(millis(keep))
            .query_async::<()>(&mut self.redis.conn.clone())
            .await;
        warn_unshared(shared);
        Ok(())
    }

    async fn revoke_all(&self, user: UserId, before: OffsetDateTime) -> Result<(), StoreError> {
        self.record.revoke_all(user, before).await?;
        let [key, _] = self.redis.sign_out_keys(user, "");
        let shared = Script::new(SIGN_OUT_ALL)
            .key(key)
            .arg(unix_millis(before))
            .arg(millis(self.token_ttl + Duration::minutes(1)))
            .invoke_async::<i64>(&mut self.redis.conn.clone())
            .await;
        warn_unshared(shared);
        Ok(())
    }

    async fn is_revoked(&self, token: &TokenIdentity) -> Result<bool, StoreError> {
        if self.record.is_revoked(token).await? {
            return Ok(true);
        }
        let now = unix_millis(OffsetDateTime::now_utc());
        if now < self.resting_until.load(Ordering::Relaxed) {
            return Ok(false);
        }
        match self.shared(token).await {
            Ok(revoked) => Ok(revoked),
            Err(e) => {
                tracing::warn!(error = %e, "sign-outs not read from Redis for a second; the database answers");
                self.resting_until
                    .store(now + millis(REST), Ordering::Relaxed);
                Ok(false)
            }
        }
    }
}
