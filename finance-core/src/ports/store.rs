//! Everything one database provides.

use super::*;

/// Everything a database adapter provides: the repositories, an OTP store, a health
/// check and the purge, so one connection pool can serve them all.
pub trait DatabaseStore:
    UserRepository
    + AccountRepository
    + MovementRepository
    + TransferRepository
    + RateRepository
    + ReportRepository
    + ScheduleRepository
    + MemberRepository
    + RuleRepository
    + ReconciliationRepository
    + HistoryRepository
    + FeedRepository
    + WebhookRepository
    + OtpStore
    + RateLimits
    + Revocations
    + Health
    + Housekeeping
{
}

impl<T> DatabaseStore for T where
    T: UserRepository
        + AccountRepository
        + MovementRepository
        + TransferRepository
        + RateRepository
        + ReportRepository
        + ScheduleRepository
        + MemberRepository
        + RuleRepository
        + ReconciliationRepository
        + HistoryRepository
        + FeedRepository
        + WebhookRepository
        + OtpStore
        + RateLimits
        + Revocations
        + Health
        + Housekeeping
{
}
