//! One-time codes, rate limits and sign-outs in Redis, on one server or a Redis Cluster:
//! each pending code is a hash that Redis expires by itself, and every read-modify-write
//! is one Lua script on one key (or on keys of one hash slot), so it is atomic on the
//! server and runs on a cluster as it does on one node.

use std::time::Duration as StdDuration;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use async_trait::async_trait;
use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::{ClusterClientBuilder, ClusterConfig};
use redis::cluster_async::ClusterConnection;
use redis::{Cmd, Pipeline, RedisFuture, Script, Value};
use time::{Duration, OffsetDateTime};

use crate::domain::{Email, UserId};

mod sign_outs;

use crate::ports::{
    BucketCounts, Cause, Health, OtpStore, RateLimits, Revocations, SendPermit, StoreError,
    StoredOtp, TokenIdentity,
};
pub use sign_outs::SharedSignOuts;

/// How long one command may take, and how long a connection may take to open.
const TIMEOUT: StdDuration = StdDuration::from_secs(2);

/// The OTP store on Redis, through a connection that reconnects by itself after Redis
/// restarts (and, on a cluster, follows its slots through a failover); while Redis is
/// down, calls fail fast with `Unavailable`.
#[derive(Clone)]
pub struct RedisOtpStore {
    conn: Connection,
    prefix: String,
}

/// One Redis server, or a cluster whose nodes the client finds from the ones named.
#[derive(Clone)]
enum Connection {
    Single(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Single(c) => c.req_packed_command(cmd),
            Connection::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Single(c) => c.get_db(),
            Connection::Cluster(c) => c.get_db(),
        }
    }
}

/// The nodes named by a cluster URL, `redis+cluster://[user:pass@]h1:p1,h2:p2` (or
/// `rediss+cluster://` for TLS), each as a URL of its own; `None` for any other URL.
pub fn cluster_nodes(url: &str) -> Option<Vec<String>> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.strip_suffix("+cluster")?;
    let rest = rest.trim_end_matches('/');
    let (auth, hosts) = match rest.rsplit_once('@') {
        Some((auth, hosts)) => (format!("{auth}@"), hosts),
        None => (String::new(), rest),
    };
    let nodes: Vec<String> = hosts
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| format!("{scheme}://{auth}{h}"))
        .collect();
    (!nodes.is_empty()).then_some(nodes)
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

/// Replaces the code of an email in one step: hash, expiry, tries left, time to keep.
const SAVE: &str = r"
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'expires', ARGV[2], 'attempts', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
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
    /// Connects lazily to `url`, one server (`redis://…`) or a cluster
    /// (`redis+cluster://h1:p1,h2:p2,…`, see [`cluster_nodes`]). Keys are named
    /// `{prefix}otp:{email}`, `{prefix}sends:{email}`, `{prefix}limit:{key}:…` and
    /// `{prefix}signout:{user}:…`; the part in braces is the hash tag, so the keys one
    /// script touches together share a cluster slot.
    pub fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let bad = |e| StoreError::Backend(Cause::context("bad Redis URL", e));
        let conn = match cluster_nodes(url) {
            Some(nodes) => {
                let client = ClusterClientBuilder::new(nodes)
                    .connection_timeout(TIMEOUT)
                    .response_timeout(TIMEOUT)
                    // A failover takes the cluster a few seconds; the client retries a
                    // moved or refused command meanwhile, then the caller answers 503.
                    .retries(4)
                    .max_retry_wait(500)
                    .build()
                    .map_err(bad)?;
                let config = ClusterConfig::new()
                    .set_connection_timeout(TIMEOUT)
                    .set_response_timeout(TIMEOUT);
                Connection::Cluster(client.get_pending_async_connection_with_config(config))
            }
            None => {
                let client = redis::Client::open(url).map_err(bad)?;
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(TIMEOUT))
                    .set_response_timeout(Some(TIMEOUT))
                    .set_number_of_retries(2)
                    .set_max_delay(StdDuration::from_millis(500));
                Connection::Single(
                    ConnectionManager::new_lazy_with_config(client, config).map_err(map_err)?,
                )
            }
        };
        Ok(Self {
            conn,
            prefix: prefix.to_string(),
        })
    }

    fn otp_key(&self, email: &Email) -> String {
        format!("{}otp:{{{email}}}", self.prefix)
    }

    fn sends_key(&self, email: &Email) -> String {
        format!("{}sends:{{{email}}}", self.prefix)
    }

    /// Both sign-out keys of a user share the user's slot, so one `MGET` reads them.
    fn sign_out_keys(&self, user: UserId, token: &str) -> [String; 2] {
        [
            format!("{}signout:{{{}}}:all", self.prefix, user.0),
            format!("{}signout:{{{}}}:token:{token}", self.prefix, user.0),
        ]
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
        // Redis drops the code some time after it expires; the use case checks
        // `expires_at` itself, so this is only housekeeping and may run late.
        let keep = (otp.expires_at - OffsetDateTime::now_utc())
            .clamp(Duration::ZERO, Duration::days(1))
            + Duration::minutes(1);
        Script::new(SAVE)
            .key(self.otp_key(email))
            .arg(&otp.hash)
            .arg(unix_millis(otp.expires_at))
            .arg(otp.attempts_left)
            .arg(millis(keep))
            .invoke_async::<i64>(&mut self.conn.clone())
            .await
            .map_err(map_err)?;
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::cluster_nodes;

    #[test]
    fn cluster_urls_name_each_node_with_the_same_credentials() {
        assert_eq!(
            cluster_nodes("redis+cluster://127.0.0.1:7000,127.0.0.1:7001/"),
            Some(vec![
                "redis://127.0.0.1:7000".to_string(),
                "redis://127.0.0.1:7001".to_string()
            ])
        );
        assert_eq!(
            cluster_nodes("rediss+cluster://u:p@a:1, b:2"),
            Some(vec![
                "rediss://u:p@a:1".to_string(),
                "rediss://u:p@b:2".to_string()
            ])
        );
        assert_eq!(cluster_nodes("redis://127.0.0.1:6379"), None);
        assert_eq!(cluster_nodes("redis+cluster://"), None);
        assert_eq!(cluster_nodes("not a url"), None);
    }
}
