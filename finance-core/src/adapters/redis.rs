//! One-time codes in Redis: each pending code is a hash that Redis expires by itself, and
//! every read-modify-write is one Lua script, so it is atomic on the server.

use std::time::Duration as StdDuration;

use async_trait::async_trait;
use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use time::{Duration, OffsetDateTime};

use crate::domain::Email;
use crate::ports::{
    BucketCounts, Cause, Health, OtpStore, RateLimits, SendPermit, StoreError, StoredOtp,
};

/// The OTP store on Redis, through a connection manager that reconnects by itself after
/// Redis restarts; while Redis is down, calls fail fast with `Unavailable`.
#[derive(Clone)]
pub struct RedisOtpStore {
    conn: ConnectionManager,
    prefix: String,
}

/// Grants a send within a fixed window that starts at the first send; returns -1 when
/// granted, else the milliseconds until the window ends. Time comes from the caller so
/// the rule follows the service's clock, not the Redis host's.
const PERMIT_SEND: &str = r"
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '-1')
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
if start < 0 or start + window <= now then start, count = now, 0 end
if count >= max then return start + window - now end
redis.call('HSET', KEYS[1], 'start', start, 'count', count + 1)
redis.call('PEXPIRE', KEYS[1], window)
return -1
";

/// Deletes the code only if it is still the one the caller checked.
const TAKE: &str = r"
if redis.call('HGET', KEYS[1], 'hash') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
";

/// Counts a wrong try; the code is deleted when none are left.
const FAILED_TRY: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local left = redis.call('HINCRBY', KEYS[1], 'attempts', -1)
if left <= 0 then redis.call('DEL', KEYS[1]) return 0 end
return left
";

/// Counts one event in the current bucket and reads the previous bucket's count.
const HIT: &str = r"
local current = redis.call('INCR', KEYS[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
return {current, previous}
";

fn map_err(e: redis::RedisError) -> StoreError {
    if e.is_io_error() || e.is_timeout() || e.is_connection_dropped() || e.is_connection_refusal() {
        StoreError::Unavailable(Cause::context("redis", e))
    } else {
        StoreError::Backend(Cause::context("redis", e))
    }
}

impl RedisOtpStore {
    /// Connects lazily to `url`; keys are named `{prefix}otp:{email}` and
    /// `{prefix}sends:{email}`.
    pub fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|e| StoreError::Backend(Cause::context("bad Redis URL", e)))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(StdDuration::from_secs(2)))
            .set_response_timeout(Some(StdDuration::from_secs(2)))
            .set_number_of_retries(2)
            .set_max_delay(StdDuration::from_millis(500));
        let conn = ConnectionManager::new_lazy_with_config(client, config).map_err(map_err)?;
        Ok(Self {
            conn,
            prefix: prefix.to_string(),
        })
    }

    fn otp_key(&self, email: &Email) -> String {
        format!("{}otp:{}", self.prefix, email)
    }

    fn sends_key(&self, email: &Email) -> String {
        format!("{}sends:{}", self.prefix, email)
    }

    /// The counter of `key` in `bucket`; the braces put every bucket of one key in the
    /// same Redis Cluster slot, as the script that reads two of them needs.
    fn bucket_key(&self, key: &str, bucket: i64) -> String {
        format!("{}limit:{{{key}}}:{bucket}", self.prefix)
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.whole_milliseconds()).unwrap_or(i64::MAX)
}

fn unix_millis(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

#[async_trait]
impl OtpStore for RedisOtpStore {
    async fn permit_send(
        &self,
        email: &Email,
        max: u32,
        window: Duration,
        now: OffsetDateTime,
    ) -> Result<SendPermit, StoreError> {
        let wait: i64 = Script::new(PERMIT_SEND)
            .key(self.sends_key(email))
            .arg(unix_millis(now))
            .arg(millis(window))
            .arg(max)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(map_err)?;
        Ok(if wait < 0 {
            SendPermit::Granted
        } else {
            SendPermit::RetryAfter(Duration::milliseconds(wait))
        })
    }

    async fn save_otp(&self, email: &Email, otp: &StoredOtp) -> Result<(), StoreError> {
        let key = self.otp_key(email);
        // Redis drops the code some time after it expires; the use case checks
        // `expires_at` itself, so this is only housekeeping and may run late.
        let keep = (otp.expires_at - OffsetDateTime::now_utc())
            .clamp(Duration::ZERO, Duration::days(1))
            + Duration::minutes(1);
        let mut conn = self.conn.clone();
        redis::pipe()
            .atomic()
            .del(&key)
            .hset_multiple(
                &key,
                &[
                    ("hash", otp.hash.clone()),
                    ("expires", unix_millis(otp.expires_at).to_string()),
                    ("attempts", otp.attempts_left.to_string()),
                ],
            )
            .pexpire(&key, millis(keep))
            .query_async::<()>(&mut conn)
            .await
            .map_err(map_err)
    }

    async fn find_otp(&self, email: &Email) -> Result<Option<StoredOtp>, StoreError> {
        let mut conn = self.conn.clone();
        let (hash, expires, attempts): (Option<String>, Option<i64>, Option<i64>) =
            redis::cmd("HMGET")
                .arg(self.otp_key(email))
                .arg("hash")
                .arg("expires")
                .arg("attempts")
                .query_async(&mut conn)
                .await
                .map_err(map_err)?;
        let (Some(hash), Some(expires), Some(attempts)) = (hash, expires, attempts) else {
            return Ok(None);
        };
        let expires_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires) * 1_000_000)
            .map_err(|e| StoreError::Backend(Cause::context("stored expiry is invalid", e)))?;
        Ok(Some(StoredOtp {
            hash,
            expires_at,
            attempts_left: u32::try_from(attempts).unwrap_or(0),
        }))
    }

    async fn take_otp(&self, email: &Email, hash: &str) -> Result<bool, StoreError> {
        let taken: i64 = Script::new(TAKE)
            .key(self.otp_key(email))
            .arg(hash)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(map_err)?;
        Ok(taken == 1)
    }

    async fn record_failed_try(&self, email: &Email) -> Result<u32, StoreError> {
        let left: i64 = Script::new(FAILED_TRY)
            .key(self.otp_key(email))
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(map_err)?;
        Ok(u32::try_from(left).unwrap_or(0))
    }
}

#[async_trait]
impl RateLimits for RedisOtpStore {
    async fn hit(
        &self,
        key: &str,
        bucket: i64,
        expires_at: OffsetDateTime,
    ) -> Result<BucketCounts, StoreError> {
        let (current, previous): (i64, i64) = Script::new(HIT)
            .key(self.bucket_key(key, bucket))
            .key(self.bucket_key(key, bucket - 1))
            .arg(unix_millis(expires_at))
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(map_err)?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(BucketCounts {
            current: count(current),
            previous: count(previous),
        })
    }
}

#[async_trait]
impl Health for RedisOtpStore {
    async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map_err(map_err)?;
        Ok(())
    }
}
