//! An [`App`] from ports of one's own choosing: what [`App::from_config`] does with the
//! adapters a configuration names, a program embedding the core does with its own (a
//! store of its own, an in-memory mailer, a fixed clock in its tests).
//!
//! [`App::from_config`]: crate::App::from_config

use std::sync::Arc;

use super::{App, AuthSettings};
use crate::ports::{
    AccountRepository, Clock, DatabaseStore, FeedRepository, Health, HistoryRepository,
    Housekeeping, Mailer, MemberRepository, MovementRepository, OtpStore, RateLimits,
    RateRepository, ReconciliationRepository, ReportRepository, Revocations, RuleRepository,
    ScheduleRepository, SecretSealer, SystemClock, TokenService, TransferRepository,
    UserRepository, WebhookRepository, WebhookSender,
};

/// A port the builder was not given; [`AppBuilder::build`] names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the application has no {0}: give it one with AppBuilder::{0}")]
pub struct MissingPort(pub &'static str);

/// The ports of an [`App`], each given once. The clock defaults to the system's, the
/// auth settings to [`AuthSettings::default`].
#[derive(Default)]
pub struct AppBuilder {
    users: Option<Arc<dyn UserRepository>>,
    accounts: Option<Arc<dyn AccountRepository>>,
    movements: Option<Arc<dyn MovementRepository>>,
    transfers: Option<Arc<dyn TransferRepository>>,
    rates: Option<Arc<dyn RateRepository>>,
    reports: Option<Arc<dyn ReportRepository>>,
    schedules: Option<Arc<dyn ScheduleRepository>>,
    members: Option<Arc<dyn MemberRepository>>,
    rules: Option<Arc<dyn RuleRepository>>,
    reconciliations: Option<Arc<dyn ReconciliationRepository>>,
    history: Option<Arc<dyn HistoryRepository>>,
    feed: Option<Arc<dyn FeedRepository>>,
    webhooks: Option<Arc<dyn WebhookRepository>>,
    webhook_sender: Option<Arc<dyn WebhookSender>>,
    sealer: Option<Arc<dyn SecretSealer>>,
    otps: Option<Arc<dyn OtpStore>>,
    limits: Option<Arc<dyn RateLimits>>,
    revocations: Option<Arc<dyn Revocations>>,
    housekeeping: Option<Arc<dyn Housekeeping>>,
    mailer: Option<Arc<dyn Mailer>>,
    tokens: Option<Arc<dyn TokenService>>,
    clock: Option<Arc<dyn Clock>>,
    health: Vec<(&'static str, Arc<dyn Health>)>,
    auth: AuthSettings,
    changes_retention: Option<time::Duration>,
}

/// One setter per port: `builder.users(port)` and so on.
macro_rules! setters {
    ($($name:ident: $port:ident),* $(,)?) => {
        $(
            #[doc = concat!("The `", stringify!($port), "` to use.")]
            pub fn $name(mut self, port: Arc<dyn $port>) -> Self {
                self.$name = Some(port);
                self
            }
        )*
    };
}

impl AppBuilder {
    setters!(
        users: UserRepository,
        accounts: AccountRepository,
        movements: MovementRepository,
        transfers: TransferRepository,
        rates: RateRepository,
        reports: ReportRepository,
        schedules: ScheduleRepository,
        members: MemberRepository,
        rules: RuleRepository,
        reconciliations: ReconciliationRepository,
        history: HistoryRepository,
        feed: FeedRepository,
        webhooks: WebhookRepository,
        webhook_sender: WebhookSender,
        sealer: SecretSealer,
        otps: OtpStore,
        limits: RateLimits,
        revocations: Revocations,
        housekeeping: Housekeeping,
        mailer: Mailer,
        tokens: TokenService,
        clock: Clock,
    );

    /// Every repository, the code store, the limits, the sign-outs and the purge from one
    /// database store (as the SQLite and Postgres stores are), which must answer for the
    /// app to be ready (`name` in `/readyz`).
    pub fn database(self, name: &'static str, store: Arc<dyn DatabaseStore>) -> Self {
        self.users(store.clone())
            .accounts(store.clone())
            .movements(store.clone())
            .transfers(store.clone())
            .rates(store.clone())
            .reports(store.clone())
            .schedules(store.clone())
            .members(store.clone())
            .rules(store.clone())
            .reconciliations(store.clone())
            .history(store.clone())
            .feed(store.clone())
            .webhooks(store.clone())
            .otps(store.clone())
            .limits(store.clone())
            .revocations(store.clone())
            .housekeeping(store.clone())
            .health(name, store)
    }

    /// A backing service that must answer for the app to be ready.
    pub fn health(mut self, name: &'static str, service: Arc<dyn Health>) -> Self {
        self.health.push((name, service));
        self
    }

    /// The rules of passwordless sign-in.
    pub fn auth(mut self, auth: AuthSettings) -> Self {
        self.auth = auth;
        self
    }

    /// How long the change feed keeps its rows (30 days unless said).
    pub fn changes_retention(mut self, retention: time::Duration) -> Self {
        self.changes_retention = Some(retention);
        self
    }

    /// The app, or the first port it was not given.
    pub fn build(self) -> Result<App, MissingPort> {
        fn given<T: ?Sized>(
            port: Option<Arc<T>>,
            name: &'static str,
        ) -> Result<Arc<T>, MissingPort> {
            port.ok_or(MissingPort(name))
        }
        Ok(App {
            users: given(self.users, "users")?,
            accounts: given(self.accounts, "accounts")?,
            movements: given(self.movements, "movements")?,
            transfers: given(self.transfers, "transfers")?,
            rates: given(self.rates, "rates")?,
            reports: given(self.reports, "reports")?,
            schedules: given(self.schedules, "schedules")?,
            members: given(self.members, "members")?,
            rules: given(self.rules, "rules")?,
            reconciliations: given(self.reconciliations, "reconciliations")?,
            history: given(self.history, "history")?,
            feed: given(self.feed, "feed")?,
            webhooks: given(self.webhooks, "webhooks")?,
            webhook_sender: given(self.webhook_sender, "webhook_sender")?,
            sealer: given(self.sealer, "sealer")?,
            otps: given(self.otps, "otps")?,
            limits: given(self.limits, "limits")?,
            revocations: given(self.revocations, "revocations")?,
            housekeeping: given(self.housekeeping, "housekeeping")?,
            mailer: given(self.mailer, "mailer")?,
            tokens: given(self.tokens, "tokens")?,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            health: self.health,
            auth: self.auth,
            changes_retention: self.changes_retention.unwrap_or(super::CHANGES_RETENTION),
            known: Default::default(),
            authors: Default::default(),
            rule_books: Default::default(),
        })
    }
}

impl App {
    /// Starts an [`AppBuilder`]: the way to assemble an app from ports of one's own.
    pub fn builder() -> AppBuilder {
        AppBuilder::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::{MockMailer, MockTokenService};

    #[test]
    fn a_port_not_given_is_named() {
        let missing = App::builder()
            .mailer(Arc::new(MockMailer::new()))
            .tokens(Arc::new(MockTokenService::new()))
            .build()
            .err();
        assert_eq!(missing, Some(MissingPort("users")));
        assert!(
            missing
                .map(|m| m.to_string())
                .is_some_and(|m| m.contains("AppBuilder::users"))
        );
    }
}
