//! One OTP-store suite, run against SQLite always, and against real Postgres and Redis when
//! their test URLs are set.

#[path = "../../tests/support/redis.rs"]
mod own_redis;
mod support;

use std::io::Write;
use std::net::TcpListener;
use std::time::Duration as StdDuration;

use finance_core::domain::Email;
use finance_core::ports::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

async fn sends_are_limited_per_window(s: impl OtpStore + Clone) {
    let email = Email::parse("ada@example.com").expect("email");
    let other = Email::parse("bob@example.com").expect("email");
    let window = Duration::minutes(15);
    for _ in 0..3 {
        assert_eq!(
            s.permit_send(&email, 3, window, NOW).await.ok(),
            Some(SendPermit::Granted)
        );
    }
    let later = NOW + Duration::minutes(5);
    assert_eq!(
        s.permit_send(&email, 3, window, later).await.ok(),
        Some(SendPermit::RetryAfter(Duration::minutes(10)))
    );
    assert_eq!(
        s.permit_send(&other, 3, window, later).await.ok(),
        Some(SendPermit::Granted)
    );
    assert_eq!(
        s.permit_send(&email, 3, window, NOW + window).await.ok(),
        Some(SendPermit::Granted)
    );
}

async fn codes_are_taken_once_and_die_after_their_tries(s: impl OtpStore + Clone + 'static) {
    let email = Email::parse("ada@example.com").expect("email");
    // Far enough ahead that Redis's own expiry (on real time) never interferes.
    let expires_at = OffsetDateTime::now_utc() + Duration::minutes(10);
    let otp = StoredOtp {
        hash: "h1".into(),
        expires_at,
        attempts_left: 3,
    };
    assert_eq!(s.find_otp(&email).await.ok(), Some(None));
    s.save_otp(&email, &otp).await.expect("save");
    let found = s.find_otp(&email).await.expect("find").expect("present");
    assert_eq!(found.hash, "h1");
    assert_eq!(found.attempts_left, 3);
    assert!((found.expires_at - expires_at).abs() < Duration::milliseconds(1));

    assert_eq!(s.record_failed_try(&email).await.ok(), Some(2));
    assert_eq!(s.take_otp(&email, "other").await.ok(), Some(false));
    assert_eq!(s.take_otp(&email, "h1").await.ok(), Some(true));
    assert_eq!(
        s.take_otp(&email, "h1").await.ok(),
        Some(false),
        "a code is taken once"
    );
    assert_eq!(s.find_otp(&email).await.ok(), Some(None));

    // A new code replaces the old one, tries and all.
    s.save_otp(
        &email,
        &StoredOtp {
            hash: "old".into(),
            ..otp.clone()
        },
    )
    .await
    .expect("save");
    s.record_failed_try(&email).await.expect("try");
    s.save_otp(&email, &otp).await.expect("save");
    assert_eq!(
        s.find_otp(&email)
            .await
            .expect("find")
            .map(|o| o.attempts_left),
        Some(3)
    );
    for left in [2, 1, 0] {
        assert_eq!(s.record_failed_try(&email).await.ok(), Some(left));
    }
    assert_eq!(
        s.find_otp(&email).await.ok(),
        Some(None),
        "a dead code is gone"
    );
    assert_eq!(s.record_failed_try(&email).await.ok(), Some(0));

    // Racing takes of one code: exactly one wins.
    s.save_otp(&email, &otp).await.expect("save");
    let takes: Vec<_> = (0..16)
        .map(|_| {
            let (s, e) = (s.clone(), email.clone());
            tokio::spawn(async move { s.take_otp(&e, "h1").await.expect("take") })
        })
        .collect();
    let mut won = 0;
    for t in takes {
        won += usize::from(t.await.expect("task"));
    }
    assert_eq!(won, 1);
}

/// Counters are per key and bucket; each hit sees the previous bucket's count, and
/// concurrent hits are all counted.
async fn rate_counters_count_every_hit(s: impl OtpStore + RateLimits + Clone + 'static) {
    let key = format!("client:{}", uuid::Uuid::new_v4());
    // Redis forgets a counter at its expiry, so that must be in the real future.
    let later = OffsetDateTime::now_utc() + Duration::minutes(2);
    for expected in 1..=3 {
        let c = s.hit(&key, 100, later).await.expect("hit");
        assert_eq!(
            c,
            BucketCounts {
                current: expected,
                previous: 0
            }
        );
    }
    let mut racing = Vec::new();
    for _ in 0..20 {
        let (s, key) = (s.clone(), key.clone());
        racing.push(tokio::spawn(async move { s.hit(&key, 101, later).await }));
    }
    let mut seen: Vec<u64> = Vec::new();
    for r in racing {
        let c = r.await.expect("task").expect("hit");
        assert_eq!(c.previous, 3);
        seen.push(c.current);
    }
    seen.sort_unstable();
    assert_eq!(
        seen,
        (1..=20).collect::<Vec<_>>(),
        "no hit lost or counted twice"
    );
    let other = s.hit("client:someone-else", 101, later).await.expect("hit");
    assert_eq!(other.current, 1);
}

support::suite!(
    redis;
    sends_are_limited_per_window,
    codes_are_taken_once_and_die_after_their_tries,
    rate_counters_count_every_hit
);

#[tokio::test]
async fn redis_outage_is_unavailable_and_recovers_without_a_new_store() {
    if std::env::var("FINANCE_TEST_REDIS_URL").is_err() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: Redis restart test (set FINANCE_TEST_REDIS_URL to run it)"
        );
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let mut redis = own_redis::OwnRedis::start(port);
    let store = finance_core::adapters::redis::RedisOtpStore::connect(
        &format!("redis://127.0.0.1:{}", redis.port),
        "t:",
    )
    .expect("store");
    let email = Email::parse("ada@example.com").expect("email");
    let otp = StoredOtp {
        hash: "h".into(),
        expires_at: OffsetDateTime::now_utc() + Duration::minutes(10),
        attempts_left: 5,
    };
    store.save_otp(&email, &otp).await.expect("save while up");
    assert_eq!(store.ping().await.ok(), Some(()));

    redis.stop();
    let down = store.find_otp(&email).await;
    assert!(matches!(down, Err(StoreError::Unavailable(_))), "{down:?}");
    assert!(matches!(
        store.ping().await,
        Err(StoreError::Unavailable(_))
    ));

    let _redis = own_redis::OwnRedis::start(port);
    // The connection manager reconnects in the background; give it a bounded while.
    let mut recovered = false;
    for _ in 0..50 {
        if store.save_otp(&email, &otp).await.is_ok() {
            recovered = true;
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    assert!(recovered, "the store did not reconnect by itself");
    assert_eq!(
        store.find_otp(&email).await.expect("find").map(|o| o.hash),
        Some("h".into())
    );
}
