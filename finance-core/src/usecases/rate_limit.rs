use time::Duration;

use super::{App, Error};

/// The window of the per-client limit on sign-in requests.
pub const CLIENT_WINDOW: Duration = Duration::minutes(1);

impl App {
    /// Admits one sign-in request from the client at `address` (its IP address), or
    /// refuses it when the client sent more than the configured number in the last
    /// minute. Counted wherever the codes are kept, so it holds across servers with Redis.
    pub async fn admit_client(&self, address: &str) -> Result<(), Error> {
        self.within_limit(
            &format!("client:{address}"),
            self.auth.client_limit,
            CLIENT_WINDOW,
        )
        .await
    }

    /// Counts one event for `key` and refuses it when more than `max` fell in the last
    /// `window`: a sliding window, estimated from two fixed buckets as the current
    /// bucket's count plus the previous one's weighted by how much of it the window still
    /// covers. Refused events count too, so hammering does not shorten the wait.
    pub(crate) async fn within_limit(
        &self,
        key: &str,
        max: u32,
        window: Duration,
    ) -> Result<(), Error> {
        let now = self.clock.now();
        let w = i64::try_from(window.whole_milliseconds())
            .unwrap_or(i64::MAX)
            .max(1);
        let t = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
        let (bucket, elapsed) = (t.div_euclid(w), t.rem_euclid(w));
        // A bucket matters while it is the current or the previous one.
        let expires_at = now - Duration::milliseconds(elapsed) + window * 2;
        let counts = self.limits.hit(key, bucket, expires_at).await?;
        let (current, previous, max) = (
            i128::from(counts.current),
            i128::from(counts.previous),
            i128::from(max),
        );
        let (w, elapsed) = (i128::from(w), i128::from(elapsed));
        if previous * (w - elapsed) + current * w <= max * w {
            return Ok(());
        }
        let wait_ms = if current > max {
            // Into the next bucket, until this one's weight has fallen enough.
            (w - elapsed) + (w * (current - max)).div_euclid(current)
        } else {
            // Within this bucket, until the previous one's weight has fallen enough.
            (w - (max - current) * w / previous.max(1)) - elapsed
        };
        let wait = Duration::milliseconds(i64::try_from(wait_ms).unwrap_or(i64::MAX));
        Err(Error::RateLimited(wait.max(Duration::seconds(1))))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use time::macros::datetime;

    use super::*;
    use crate::ports::BucketCounts;
    use crate::usecases::testing::Mocks;

    /// An in-memory counter store, so the window's arithmetic is tested over many events.
    fn counting(m: &mut Mocks) -> Arc<Mutex<HashMap<(String, i64), u64>>> {
        let counts: Arc<Mutex<HashMap<(String, i64), u64>>> = Arc::default();
        let c = counts.clone();
        m.limits.expect_hit().returning(move |key, bucket, _| {
            let mut c = c.lock().expect("lock");
            let current = {
                let n = c.entry((key.to_string(), bucket)).or_insert(0);
                *n += 1;
                *n
            };
            let previous = c.get(&(key.to_string(), bucket - 1)).copied().unwrap_or(0);
            Ok(BucketCounts { current, previous })
        });
        counts
    }

    #[tokio::test]
    async fn admits_up_to_the_limit_then_says_how_long_to_wait() {
        let mut m = Mocks::new();
        // Ten seconds into a minute bucket.
        m.now = datetime!(2026-11-24 12:00:10 UTC);
        counting(&mut m);
        let app = m.app();
        for i in 0..5 {
            assert!(
                matches!(app.within_limit("k", 5, CLIENT_WINDOW).await, Ok(())),
                "{i}"
            );
        }
        let Err(Error::RateLimited(wait)) = app.within_limit("k", 5, CLIENT_WINDOW).await else {
            panic!("the sixth is refused");
        };
        // Six counted against five: the rest of this bucket and a sixth of the next.
        assert_eq!(wait, Duration::seconds(50) + Duration::seconds(10));
        // Other keys have their own count.
        assert!(matches!(
            app.within_limit("other", 5, CLIENT_WINDOW).await,
            Ok(())
        ));
    }

    #[tokio::test]
    async fn the_previous_bucket_weighs_by_what_the_window_still_covers() {
        let mut m = Mocks::new();
        m.now = datetime!(2026-11-24 12:00:45 UTC);
        let counts = counting(&mut m);
        // Ten events in the minute before; 45 s in, a quarter of that minute is still in
        // the window: 2.5 of them count.
        let bucket = m.now.unix_timestamp() * 1000 / 60_000;
        counts
            .lock()
            .expect("lock")
            .insert(("k".into(), bucket - 1), 10);
        let app = m.app();
        assert!(matches!(
            app.within_limit("k", 5, CLIENT_WINDOW).await,
            Ok(())
        ));
        assert!(matches!(
            app.within_limit("k", 5, CLIENT_WINDOW).await,
            Ok(())
        ));
        let Err(Error::RateLimited(wait)) = app.within_limit("k", 5, CLIENT_WINDOW).await else {
            panic!("2.5 + 3 is past 5");
        };
        // 3 now: the previous bucket's 10 must weigh at most 2, i.e. 12 s left of it.
        assert_eq!(wait, Duration::seconds(3));
    }

    #[tokio::test]
    async fn per_client_requests_are_limited_by_address() {
        let mut m = Mocks::new();
        counting(&mut m);
        let mut app = m.app();
        app.auth.client_limit = 2;
        assert!(app.admit_client("10.0.0.1").await.is_ok());
        assert!(app.admit_client("10.0.0.1").await.is_ok());
        assert!(matches!(
            app.admit_client("10.0.0.1").await,
            Err(Error::RateLimited(_))
        ));
        assert!(app.admit_client("10.0.0.2").await.is_ok());
    }
}
