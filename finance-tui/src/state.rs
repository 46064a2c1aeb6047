//! The dashboard's state machine: every change goes through [`State::update`], which
//! returns the work to do in the background. It never waits, so the screen never freezes,
//! and it is tested without a terminal. Each pane's own state and rules live in its
//! component ([`crate::components`]); this routes keys and answers between them.

use finance_core::domain::Movement;
use time::Date;

use crate::components::accounts::Accounts;
use crate::components::form::Form;
use crate::components::movements::Movements;
use crate::components::reports::Reports;
use crate::components::rules::Rules;
use crate::components::sharing::Sharing;
#[cfg(test)]
pub use crate::message::Key;
pub use crate::message::{Action, Answer, Effect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Accounts,
    Movements,
}

// Unboxed: the state holds one mode at a time, so the larger variants cost nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Help,
    Filter,
    Form(Form),
    /// Asking whether to delete this movement.
    Confirm(Movement),
    /// The reports screen instead of the accounts and movements.
    Reports,
    /// The schedules screen.
    Schedules,
    /// The pending invitations, over the dashboard.
    Invitations,
    /// The selected account's members, over the dashboard.
    Members,
    /// The rules (and a rule's preview), over the dashboard.
    Rules,
    /// A movement's history, over the dashboard.
    History(crate::components::history::History),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub location: String,
    pub today: Date,
    pub accounts: Accounts,
    pub movements: Movements,
    pub reports: Reports,
    /// The schedules, once the screen has loaded them.
    pub schedules: Option<finance_core::domain::ScheduleList>,
    pub sharing: Sharing,
    pub rules: Rules,
    pub pane: Pane,
    pub mode: Mode,
    pub status: Option<Status>,
    /// Background requests not answered yet.
    pub in_flight: usize,
    pub quit: bool,
}

impl State {
    pub fn new(location: String, today: Date) -> Self {
        Self {
            location,
            today,
            accounts: Accounts::default(),
            movements: Movements::default(),
            reports: Reports::default(),
            schedules: None,
            sharing: Sharing::default(),
            rules: Rules::default(),
            pane: Pane::Accounts,
            mode: Mode::Normal,
            status: None,
            in_flight: 0,
            quit: false,
        }
    }

    /// The first work: load everything, and the invitations waiting for an answer.
    pub fn start(&mut self) -> Vec<Effect> {
        self.track(vec![
            self.load_profile(),
            Effect::LoadInvitations,
            Effect::FollowChanges(None),
        ])
    }

    /// Reads the profile again, its net worth in the currency shown.
    fn load_profile(&self) -> Effect {
        Effect::LoadProfile(self.accounts.convert_to)
    }

    fn track(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        self.in_flight += effects
            .iter()
            .filter(|e| !matches!(e, Effect::FollowChanges(_)))
            .count();
        effects
    }

    fn answered(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    fn load_movements(&mut self) -> Vec<Effect> {
        let account = self.accounts.current().cloned();
        self.movements.show(account.as_ref())
    }

    fn maybe_load_more(&mut self) -> Vec<Effect> {
        let account = self.accounts.current().cloned();
        self.movements.maybe_load_more(account.as_ref())
    }

    pub fn update(&mut self, action: impl Into<Action>) -> Vec<Effect> {
        let effects = match action.into() {
            Action::Key(key) => self.key(key),
            Action::Answer(answer) => self.answer(*answer),
        };
        self.track(effects)
    }

    /// After an edit or a delete the balance, the totals and the list all change: they are
    /// read again.
    fn changed(&mut self, what: &str, movement: &Movement) -> Vec<Effect> {
        self.mode = Mode::Normal;
        self.status = Some(Status::Info(format!(
            "{what} {} {} ({})",
            movement.amount,
            movement.amount.currency(),
            movement.description
        )));
        self.movements.account = None;
        vec![self.load_profile()]
    }

    /// Answers from the background.
    fn answer(&mut self, answer: Answer) -> Vec<Effect> {
        if let Answer::ChangesSeen { next, changed } = answer {
            return self.followed(next, changed);
        }
        self.answered();
        match answer {
            Answer::ProfileLoaded(profile) => {
                self.accounts.loaded(profile);
                if matches!(&self.status, Some(Status::Info(s)) if s == "Refreshing…" || s.starts_with("Net worth in"))
                {
                    self.status = None;
                }
                if self.accounts.current().map(|a| a.id) != self.movements.account {
                    self.load_movements()
                } else {
                    Vec::new()
                }
            }
            Answer::MovementsLoaded {
                account,
                page,
                append,
            } => {
                self.movements.page_loaded(account, page, append);
                Vec::new()
            }
            Answer::AccountCreated(account) => {
                self.mode = Mode::Normal;
                self.status = Some(Status::Info(format!(
                    "Created {} ({})",
                    account.name, account.currency
                )));
                self.accounts.select_after_load = Some(account.id);
                vec![self.load_profile()]
            }
            Answer::MovementAdded(movement) => {
                self.mode = Mode::Normal;
                self.status = Some(Status::Info(format!(
                    "Recorded {} {} ({})",
                    movement.amount,
                    movement.amount.currency(),
                    movement.description
                )));
                // Shown at once: in the list, in the balance, in the totals; a converted
                // net worth needs the rates, so it is read again.
                let converted = self
                    .accounts
                    .profile
                    .as_ref()
                    .is_some_and(|p| p.net_worth.is_some());
                if self.accounts.apply(&movement) {
                    self.movements.insert(movement);
                }
                if converted {
                    vec![self.load_profile()]
                } else {
                    Vec::new()
                }
            }
            Answer::MovementEdited(movement) => self.changed("Saved", &movement),
            Answer::MovementDeleted(movement) => self.changed("Deleted", &movement),
            Answer::Transferred(transfer) => self.changed("Moved", &transfer.to),
            Answer::SchedulesLoaded(list) => {
                self.schedules = Some(list);
                Vec::new()
            }
            Answer::ReportsLoaded(loaded) => {
                let (cash_flow, budgets) = *loaded;
                self.reports = Reports {
                    cash_flow: Some(cash_flow),
                    budgets: Some(budgets),
                };
                Vec::new()
            }
            answer @ (Answer::InvitationsLoaded(_)
            | Answer::InvitationAnswered(_)
            | Answer::MembersLoaded { .. }
            | Answer::MemberInvited(_)
            | Answer::MemberRemoved) => self.sharing_answer(answer),
            answer @ (Answer::RulesLoaded(_)
            | Answer::RulePreviewed { .. }
            | Answer::RuleApplied(_)) => self.rules_answer(answer),
            answer @ (Answer::HistoryLoaded { .. }
            | Answer::Reconciled(_)
            | Answer::ChangesSeen { .. }) => self.books_answer(answer),
            Answer::Rejected(v) => {
                self.movements.loading_more = false;
                if let Mode::Form(form) = &mut self.mode {
                    form.errors = v.errors;
                    form.submitting = false;
                } else {
                    self.status = Some(Status::Error(v.to_string()));
                }
                Vec::new()
            }
            Answer::Failed(message) => {
                self.movements.loading_more = false;
                if let Mode::Form(form) = &mut self.mode {
                    form.submitting = false;
                }
                self.status = Some(Status::Error(message));
                Vec::new()
            }
        }
    }
}

mod books;
mod feed;
mod keys;
mod rules;
mod sharing;

#[cfg(test)]
mod books_tests;
#[cfg(test)]
mod editing_tests;
#[cfg(test)]
mod feed_tests;
#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod rules_tests;
#[cfg(test)]
mod sharing_tests;
#[cfg(test)]
pub(crate) mod tests;
