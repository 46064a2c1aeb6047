use time::Duration;

use super::{App, Error};
use crate::ports::{Cutoffs, Purged};

/// How long an `Idempotency-Key` is honoured. The contract promises at least a day; a week
/// also covers a client that retries after a weekend offline, and costs one small row per
/// keyed movement.
pub const IDEMPOTENCY_RETENTION: Duration = Duration::days(7);

/// Codes and send windows are purged only this long after they end. SQLite compares
/// timestamps as text, which can misorder two within one second; the sign-in use cases
/// check expiry themselves, so the purge only has to stay clear of live records.
const SLACK: Duration = Duration::minutes(1);

impl App {
    /// Deletes idempotency keys older than [`IDEMPOTENCY_RETENTION`], expired one-time
    /// codes and ended send-count windows from the database, the change feed's rows past
    /// its retention (`FINANCE_CHANGES_RETENTION_DAYS`), and old outbox mail; the
    /// server runs it hourly. Safe at any time: what it deletes no request can use any more.
    pub async fn purge_expired(&self) -> Result<Purged, Error> {
        let now = self.clock.now();
        let cutoffs = Cutoffs {
            idempotency_keys: now - IDEMPOTENCY_RETENTION,
            codes: now - SLACK,
            send_windows: now - self.auth.send_window - SLACK,
            expired: now - SLACK,
            changes: now - self.changes_retention,
        };
        let mut purged = self.housekeeping.purge(&cutoffs).await?;
        purged.mail = self.mailer.purge_sent(now).await?;
        Ok(purged)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::ports::StoreError;
    use crate::usecases::testing::Mocks;

    #[tokio::test]
    async fn cutoffs_keep_keys_a_week_and_codes_until_they_are_over() {
        let mut m = Mocks::new();
        m.now = datetime!(2026-11-24 12:00 UTC);
        m.housekeeping
            .expect_purge()
            .withf(|c| {
                *c == Cutoffs {
                    idempotency_keys: datetime!(2026-11-17 12:00 UTC),
                    codes: datetime!(2026-11-24 11:59 UTC),
                    // The default send window is 15 minutes.
                    send_windows: datetime!(2026-11-24 11:44 UTC),
                    expired: datetime!(2026-11-24 11:59 UTC),
                    // The feed keeps 30 days by default.
                    changes: datetime!(2026-10-25 12:00 UTC),
                }
            })
            .times(1)
            .returning(|_| {
                Ok(Purged {
                    idempotency_keys: 3,
                    codes: 2,
                    send_windows: 1,
                    rate_counters: 5,
                    revoked_tokens: 6,
                    changes: 7,
                    deliveries: 2,
                    mail: 0,
                })
            });
        m.mailer
            .expect_purge_sent()
            .withf(|now| *now == datetime!(2026-11-24 12:00 UTC))
            .times(1)
            .returning(|_| Ok(4));
        let purged = m.app().purge_expired().await.expect("purged");
        assert_eq!(
            purged,
            Purged {
                idempotency_keys: 3,
                codes: 2,
                send_windows: 1,
                rate_counters: 5,
                revoked_tokens: 6,
                changes: 7,
                deliveries: 2,
                mail: 4
            }
        );
    }

    #[tokio::test]
    async fn a_store_outage_is_unavailable() {
        let mut m = Mocks::new();
        m.housekeeping
            .expect_purge()
            .returning(|_| Err(StoreError::Unavailable("down".into())));
        let err = m.app().purge_expired().await.expect_err("fails");
        assert!(matches!(err, Error::Unavailable(_)), "{err:?}");
    }
}
