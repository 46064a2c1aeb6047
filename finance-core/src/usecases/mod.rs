//! The use cases: one file each, all methods of [`App`], written against the ports only.

mod account_history;
mod add_movement;
mod answer_invitation;
mod apply_rule;
mod authenticate;
mod authors;
mod builder;
mod cash_flow_report;
mod change_member;
mod create_account;
mod create_rule;
mod create_schedule;
mod create_transfer;
mod create_webhook;
mod delete_account;
mod delete_budget;
mod delete_me;
mod delete_rate;
mod delete_transfer;
mod delete_webhook;
mod deliver_webhooks;
mod edit_movement;
mod edit_rule;
mod edit_schedule;
mod edit_transfer;
mod export_journal;
mod get_account;
mod get_movement;
mod get_profile;
mod get_schedule;
mod get_transfer;
mod import_journal;
mod import_rates;
mod import_statement;
mod invite_member;
mod known_accounts;
mod list_accounts;
mod list_budgets;
mod list_categories;
mod list_changes;
mod list_deliveries;
mod list_members;
mod list_movements;
mod list_rates;
mod list_rules;
mod list_tags;
mod list_webhooks;
mod local_user;
mod net_worth_report;
mod preview_rule;
mod purge_expired;
mod rate_limit;
mod reconcile;
mod report_query;
mod request_code;
mod rule_books;
mod run_schedules;
mod set_budget;
mod set_rate;
mod sign_out;
mod update_account;
mod update_profile;
mod verify_code;

use std::sync::Arc;

use time::Duration;

use crate::ports::{
    AccountRepository, Clock, FeedRepository, Health, HistoryRepository, Housekeeping, Mailer,
    MemberRepository, MovementRepository, OtpStore, RateLimits, RateRepository,
    ReconciliationRepository, ReportRepository, Revocations, RuleRepository, ScheduleRepository,
    SecretSealer, TokenService, TransferRepository, UserRepository, WebhookRepository,
    WebhookSender,
};

pub use crate::error::Error;

/// How long the change feed keeps its rows by default (`FINANCE_CHANGES_RETENTION_DAYS`).
pub const CHANGES_RETENTION: Duration = Duration::days(30);
pub use builder::{AppBuilder, MissingPort};
pub use create_webhook::MAX_WEBHOOKS;
pub use deliver_webhooks::{CLAIM_LEASE, DELIVERY_BATCH, DELIVERY_TIMEOUT};
pub use export_journal::JournalExport;
pub use list_deliveries::DELIVERIES_SHOWN;
pub use purge_expired::IDEMPOTENCY_RETENTION;
pub use rate_limit::CLIENT_WINDOW;
pub use verify_code::Session;

/// The rules of passwordless sign-in that deployments may tune.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// How long a code may be redeemed.
    pub code_ttl: Duration,
    /// Wrong tries after which a code dies.
    pub max_attempts: u32,
    /// Codes sent per email in `send_window`.
    pub max_sends: u32,
    pub send_window: Duration,
    /// Code checks per email in `guess_window`, across all its codes: past this even the
    /// right code is refused until the window ends.
    pub max_guesses: u32,
    pub guess_window: Duration,
    /// Auth requests per client address per minute.
    pub client_limit: u32,
    /// Secret mixed into stored code hashes, so a leaked store does not reveal live codes.
    pub code_pepper: Vec<u8>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            code_ttl: Duration::minutes(10),
            max_attempts: 5,
            max_sends: 5,
            send_window: Duration::minutes(15),
            max_guesses: 10,
            guess_window: Duration::minutes(15),
            client_limit: 100,
            code_pepper: Vec::new(),
        }
    }
}

/// The application: every use case, over whichever adapters it was built with.
///
/// Frontends build one at start-up (see [`crate::config`]) and share it; it is cheap to
/// clone.
#[derive(Clone)]
pub struct App {
    pub users: Arc<dyn UserRepository>,
    pub accounts: Arc<dyn AccountRepository>,
    pub movements: Arc<dyn MovementRepository>,
    pub transfers: Arc<dyn TransferRepository>,
    pub rates: Arc<dyn RateRepository>,
    pub reports: Arc<dyn ReportRepository>,
    pub schedules: Arc<dyn ScheduleRepository>,
    pub members: Arc<dyn MemberRepository>,
    pub rules: Arc<dyn RuleRepository>,
    pub reconciliations: Arc<dyn ReconciliationRepository>,
    pub history: Arc<dyn HistoryRepository>,
    /// The change feed (written by the repositories' write paths, read here).
    pub feed: Arc<dyn FeedRepository>,
    /// Webhooks and their outbox (written by the repositories' write paths too).
    pub webhooks: Arc<dyn WebhookRepository>,
    /// Calls webhook endpoints.
    pub webhook_sender: Arc<dyn WebhookSender>,
    /// Keeps webhook secrets encrypted at rest.
    pub sealer: Arc<dyn SecretSealer>,
    pub otps: Arc<dyn OtpStore>,
    /// Counters of the rate limits (with the codes: Redis when configured, else SQL).
    pub limits: Arc<dyn RateLimits>,
    /// Signed-out tokens (Redis when configured, else SQL).
    pub revocations: Arc<dyn Revocations>,
    /// The database's purge of records whose time is over.
    pub housekeeping: Arc<dyn Housekeeping>,
    pub mailer: Arc<dyn Mailer>,
    pub tokens: Arc<dyn TokenService>,
    pub clock: Arc<dyn Clock>,
    /// Every backing service that must answer for the app to be ready.
    pub health: Vec<(&'static str, Arc<dyn Health>)>,
    pub auth: AuthSettings,
    /// How long the change feed keeps its rows; a cursor older than that is refused.
    pub changes_retention: Duration,
    /// Currencies of accounts users may write to, seen lately (see `known_accounts`).
    pub(crate) known: Arc<known_accounts::KnownAccounts>,
    /// Emails of users seen lately (see `authors`).
    pub(crate) authors: Arc<authors::KnownAuthors>,
    /// Users' rules, compiled, read lately (see `rule_books`).
    pub(crate) rule_books: Arc<rule_books::RuleBooks>,
}

#[cfg(test)]
pub(crate) mod testing {
    //! Builds an [`App`] from mocks; a port a test does not configure fails if touched.
    use super::*;
    use crate::ports::*;
    use time::OffsetDateTime;

    pub struct Mocks {
        pub users: MockUserRepository,
        pub accounts: MockAccountRepository,
        pub movements: MockMovementRepository,
        pub transfers: MockTransferRepository,
        pub rates: MockRateRepository,
        pub reports: MockReportRepository,
        pub schedules: MockScheduleRepository,
        pub members: MockMemberRepository,
        pub rules: MockRuleRepository,
        pub reconciliations: MockReconciliationRepository,
        pub history: MockHistoryRepository,
        pub feed: MockFeedRepository,
        pub webhooks: MockWebhookRepository,
        pub sender: MockWebhookSender,
        pub sealer: MockSecretSealer,
        pub otps: MockOtpStore,
        pub limits: MockRateLimits,
        pub revocations: MockRevocations,
        pub housekeeping: MockHousekeeping,
        pub mailer: MockMailer,
        pub tokens: MockTokenService,
        pub now: OffsetDateTime,
    }

    /// An account of `owner` holding `minor` units of `code`.
    pub fn account(
        owner: crate::domain::UserId,
        name: &str,
        code: &str,
        minor: i64,
    ) -> crate::domain::Account {
        let currency = crate::domain::Currency::parse(code).expect("known currency");
        crate::domain::Account {
            reconciled_on: None,
            id: crate::domain::AccountId::random(),
            owner_id: owner,
            owner_email: crate::domain::Email::parse("owner@example.com").ok(),
            role: crate::domain::Role::Owner,
            name: name.into(),
            currency,
            balance: crate::domain::Money::from_minor(minor, currency),
            archived: false,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    impl Mocks {
        pub fn new() -> Self {
            Self {
                users: MockUserRepository::new(),
                accounts: MockAccountRepository::new(),
                movements: MockMovementRepository::new(),
                transfers: MockTransferRepository::new(),
                rates: MockRateRepository::new(),
                reports: MockReportRepository::new(),
                schedules: MockScheduleRepository::new(),
                members: MockMemberRepository::new(),
                rules: MockRuleRepository::new(),
                reconciliations: MockReconciliationRepository::new(),
                history: MockHistoryRepository::new(),
                feed: MockFeedRepository::new(),
                webhooks: MockWebhookRepository::new(),
                sender: MockWebhookSender::new(),
                sealer: MockSecretSealer::new(),
                otps: MockOtpStore::new(),
                limits: MockRateLimits::new(),
                revocations: MockRevocations::new(),
                housekeeping: MockHousekeeping::new(),
                mailer: MockMailer::new(),
                tokens: MockTokenService::new(),
                now: time::macros::datetime!(2026-11-24 12:00 UTC),
            }
        }

        /// Finds any user asked for (as the author of a write), as `<id>@example.com`.
        pub fn known_authors(&mut self) {
            self.users.expect_get_user().returning(|id| {
                Ok(Some(crate::domain::User {
                    id,
                    email: crate::domain::Email::parse(&format!("{id}@example.com"))
                        .expect("email"),
                    created_at: OffsetDateTime::UNIX_EPOCH,
                    base_currency: None,
                }))
            });
        }

        /// The user has no rules (writes ask for them).
        pub fn no_rules(&mut self) {
            self.rules.expect_rules().returning(|_| Ok(Vec::new()));
        }

        /// Lets every rate-limited call through (one event counted, nothing before it).
        pub fn allow_limits(&mut self) {
            self.limits.expect_hit().returning(|_, _, _| {
                Ok(BucketCounts {
                    current: 1,
                    previous: 0,
                })
            });
        }

        pub fn app(self) -> App {
            let mut clock = MockClock::new();
            let now = self.now;
            clock.expect_now().return_const(now);
            // Built as an embedder builds one: every use-case test goes through the builder.
            App::builder()
                .users(Arc::new(self.users))
                .accounts(Arc::new(self.accounts))
                .movements(Arc::new(self.movements))
                .transfers(Arc::new(self.transfers))
                .rates(Arc::new(self.rates))
                .reports(Arc::new(self.reports))
                .schedules(Arc::new(self.schedules))
                .members(Arc::new(self.members))
                .rules(Arc::new(self.rules))
                .reconciliations(Arc::new(self.reconciliations))
                .history(Arc::new(self.history))
                .feed(Arc::new(self.feed))
                .webhooks(Arc::new(self.webhooks))
                .webhook_sender(Arc::new(self.sender))
                .sealer(Arc::new(self.sealer))
                .otps(Arc::new(self.otps))
                .limits(Arc::new(self.limits))
                .revocations(Arc::new(self.revocations))
                .housekeeping(Arc::new(self.housekeeping))
                .mailer(Arc::new(self.mailer))
                .tokens(Arc::new(self.tokens))
                .clock(Arc::new(clock))
                .auth(AuthSettings {
                    code_pepper: b"test pepper".to_vec(),
                    ..Default::default()
                })
                .build()
                .expect("every port is given")
        }
    }
}
