//! Records whose time is over, and sign-outs, on real SQLite always and on real Postgres
//! when `FINANCE_TEST_DATABASE_URL` is set.

mod support;

use finance_core::domain::*;
use finance_core::ports::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::macros::date;
use time::{Duration, OffsetDateTime};

async fn purge_removes_only_what_is_over(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let key = |k: &str| IdempotencyKey {
        key: k.into(),
        fingerprint: "body".into(),
    };
    // A key used a second before the cutoff and one used a second after it.
    let cutoff = NOW + Duration::days(1);
    let old = Movement {
        created_at: cutoff - Duration::seconds(1),
        ..movement(&a, 100, date!(2026 - 01 - 01))
    };
    let recent = Movement {
        created_at: cutoff + Duration::seconds(1),
        ..movement(&a, 200, date!(2026 - 01 - 02))
    };
    s.add_movement(ada.id, &old, Some(key("old")))
        .await
        .expect("old");
    s.add_movement(ada.id, &recent, Some(key("recent")))
        .await
        .expect("recent");
    // A code that expired before the cutoff, one still live after it.
    let expired = Email::parse("gone@example.com").expect("email");
    let live = Email::parse("live@example.com").expect("email");
    for (email, expires_at) in [
        (&expired, cutoff - Duration::seconds(1)),
        (&live, cutoff + Duration::seconds(1)),
    ] {
        let otp = StoredOtp {
            hash: format!("hash of {email}"),
            expires_at,
            attempts_left: 5,
        };
        s.save_otp(email, &otp).await.expect("save code");
    }
    // Send windows opened on either side of the cutoff, each with its one send used.
    let window = Duration::minutes(15);
    for (email, start) in [
        (&expired, cutoff - Duration::seconds(1)),
        (&live, cutoff + Duration::seconds(1)),
    ] {
        let permit = s.permit_send(email, 1, window, start).await.expect("send");
        assert_eq!(permit, SendPermit::Granted);
    }

    let purged = s
        .purge(&Cutoffs {
            idempotency_keys: cutoff,
            codes: cutoff,
            send_windows: cutoff,
            expired: cutoff,
            changes: cutoff - Duration::days(3650),
        })
        .await
        .expect("purge");
    assert_eq!(
        purged,
        Purged {
            idempotency_keys: 1,
            codes: 1,
            send_windows: 1,
            rate_counters: 0,
            revoked_tokens: 0,
            changes: 0,
            deliveries: 0,
            mail: 0
        }
    );

    // The purged key is free again and writes a new movement; the kept one still replays.
    let again = Movement {
        created_at: cutoff + Duration::seconds(2),
        ..movement(&a, 100, date!(2026 - 01 - 01))
    };
    let reused = s.add_movement(ada.id, &again, Some(key("old"))).await;
    assert!(matches!(reused, Ok(Added::Created { .. })), "{reused:?}");
    let retried = s
        .add_movement(
            ada.id,
            &movement(&a, 200, date!(2026 - 01 - 02)),
            Some(key("recent")),
        )
        .await;
    assert_eq!(
        retried.expect("replayed"),
        Added::Replayed { movement: recent }
    );
    assert_eq!(balance(&s, &a).await, 400);

    assert_eq!(s.find_otp(&expired).await.expect("find"), None);
    assert!(s.find_otp(&live).await.expect("find").is_some());
    // The purged window is gone, so its one send is granted again at the same instant;
    // the kept window still counts its send.
    let at = cutoff - Duration::seconds(1);
    assert_eq!(
        s.permit_send(&expired, 1, window, at).await.expect("send"),
        SendPermit::Granted
    );
    let at = cutoff + Duration::seconds(1);
    assert!(matches!(
        s.permit_send(&live, 1, window, at).await.expect("send"),
        SendPermit::RetryAfter(_)
    ));

    // Nothing is left to purge.
    let cutoffs = Cutoffs {
        idempotency_keys: cutoff,
        codes: cutoff,
        send_windows: cutoff - Duration::days(1),
        expired: cutoff - Duration::days(1),
        changes: cutoff - Duration::days(3650),
    };
    assert_eq!(s.purge(&cutoffs).await.expect("purge"), Purged::default());
}

fn identity(user: UserId, id: &str, issued_at: OffsetDateTime) -> TokenIdentity {
    TokenIdentity {
        user,
        id: id.to_string(),
        issued_at,
        expires_at: issued_at + Duration::days(7),
    }
}

/// One token signed out leaves the user's others alone; signing out everywhere refuses
/// what was issued before, to the microsecond, and nothing issued after.
async fn sign_outs_refuse_exactly_what_they_name(s: impl Store) {
    let ada = UserId::random();
    let bob = UserId::random();
    let now = OffsetDateTime::now_utc();
    let first = identity(
        ada,
        &uuid::Uuid::new_v4().to_string(),
        now - Duration::hours(1),
    );
    let second = identity(
        ada,
        &uuid::Uuid::new_v4().to_string(),
        now - Duration::minutes(1),
    );
    let bobs = identity(
        bob,
        &uuid::Uuid::new_v4().to_string(),
        now - Duration::hours(1),
    );
    for t in [&first, &second, &bobs] {
        assert!(!s.is_revoked(t).await.expect("check"));
    }
    s.revoke_token(&first).await.expect("revoke");
    s.revoke_token(&first).await.expect("again is fine");
    assert!(s.is_revoked(&first).await.expect("check"));
    assert!(!s.is_revoked(&second).await.expect("check"));

    let cutoff = now + Duration::microseconds(7);
    s.revoke_all(ada, cutoff).await.expect("everywhere");
    assert!(s.is_revoked(&second).await.expect("check"));
    let just_before = identity(ada, "b", cutoff - Duration::microseconds(1));
    let just_after = identity(ada, "a", cutoff + Duration::microseconds(1));
    assert!(s.is_revoked(&just_before).await.expect("check"));
    assert!(!s.is_revoked(&just_after).await.expect("check"));
    assert!(
        !s.is_revoked(&bobs).await.expect("check"),
        "another user's token"
    );
}

/// The change feed keeps its rows for the retention: older ones are purged and the floor
/// rises to the newest of them, so a cursor behind it is known to have missed some.
async fn the_feed_forgets_past_its_retention_and_says_where(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let cutoff = NOW + Duration::days(1);
    for (amount, at) in [
        (100, cutoff - Duration::seconds(1)),
        (200, cutoff + Duration::seconds(1)),
    ] {
        let m = Movement {
            created_at: at,
            ..movement(&a, amount, date!(2026 - 01 - 01))
        };
        s.add_movement(ada.id, &m, None).await.expect("movement");
    }
    let start = FeedPosition::default();
    assert_eq!(s.feed_floor().await.expect("floor"), start);
    // Other tests' transactions on the same server may hold the feed's line back a moment.
    let mut before = Vec::new();
    for _ in 0..200 {
        before = s.changes(ada.id, start, 10).await.expect("feed");
        if before.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(before.len(), 3, "the account and two movements: {before:?}");

    let cutoffs = Cutoffs {
        idempotency_keys: NOW,
        codes: NOW,
        send_windows: NOW,
        expired: NOW,
        changes: cutoff,
    };
    assert_eq!(s.purge(&cutoffs).await.expect("purge").changes, 2);
    assert_eq!(s.feed_floor().await.expect("floor"), before[1].position);
    let after = s.changes(ada.id, start, 10).await.expect("feed");
    assert_eq!(after, before[2..], "only the newer row is kept");
    // Purging again changes nothing, and never lowers the floor.
    assert_eq!(s.purge(&cutoffs).await.expect("purge").changes, 0);
    assert_eq!(s.feed_floor().await.expect("floor"), before[1].position);
}

/// Webhook deliveries done with are forgotten with the feed's rows; one still pending is
/// kept, however old, until it is delivered or given up.
async fn webhook_deliveries_done_with_are_forgotten_after_the_retention(s: impl Store) {
    use finance_core::domain::{Attempt, NewWebhook, WebhookId, WebhookInput};
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let hook = NewWebhook::parse(&WebhookInput {
        url: "https://example.com/hook".into(),
        events: Vec::new(),
    })
    .expect("webhook");
    let id = WebhookId::random();
    s.create_webhook(ada.id, id, &hook, b"sealed", NOW)
        .await
        .expect("webhook");
    let cutoff = NOW + Duration::days(1);
    let mut made = Vec::new();
    for (amount, at) in [
        (100, cutoff - Duration::seconds(1)),
        (200, cutoff + Duration::seconds(1)),
        (300, cutoff - Duration::seconds(2)),
    ] {
        let m = Movement {
            created_at: at,
            ..movement(&a, amount, date!(2026 - 01 - 01))
        };
        s.add_movement(ada.id, &m, None).await.expect("movement");
        made.push(m.id.to_string());
    }
    let claimed = s
        .claim_deliveries(cutoff + Duration::days(1), Duration::seconds(30), 10)
        .await
        .expect("claimed");
    assert_eq!(claimed.len(), 3, "{claimed:?}");
    for c in &claimed {
        // The third stays pending.
        if c.data.contains(&made[2]) {
            continue;
        }
        let done = Finished {
            webhook_id: c.webhook_id,
            event_id: c.event_id,
            attempt: Attempt {
                at: cutoff,
                status: Some(200),
                error: None,
                duration_ms: 3,
            },
            outcome: Outcome::Delivered,
        };
        assert_eq!(s.finish_delivery(&done).await.expect("finished"), None);
    }
    let cutoffs = Cutoffs {
        idempotency_keys: NOW,
        codes: NOW,
        send_windows: NOW,
        expired: NOW,
        changes: cutoff,
    };
    assert_eq!(s.purge(&cutoffs).await.expect("purge").deliveries, 1);
    let left = s.deliveries(ada.id, id, 10).await.expect("deliveries");
    let states: Vec<_> = left.iter().map(|d| (d.state, d.attempts.len())).collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        states.contains(&(finance_core::domain::DeliveryState::Delivered, 1)),
        "{states:?}"
    );
    assert!(
        states.contains(&(finance_core::domain::DeliveryState::Pending, 0)),
        "{states:?}"
    );
}

suite!(
    purge_removes_only_what_is_over,
    sign_outs_refuse_exactly_what_they_name,
    the_feed_forgets_past_its_retention_and_says_where,
    webhook_deliveries_done_with_are_forgotten_after_the_retention,
);
