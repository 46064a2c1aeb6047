//! The dashboard's state machine: every change goes through [`State::update`], which
//! returns the work to do in the background. It never waits, so the screen never freezes,
//! and it is tested without a terminal. Each pane's own state and rules live in its
//! component ([`crate::components`]); this routes keys and answers between them.

use finance_core::domain::{Movement, ValidationError};
use time::Date;

use crate::components::accounts::Accounts;
use crate::components::form::{Form, Kind};
use crate::components::movements::Movements;
use crate::components::reports::Reports;
pub use crate::message::{Action, Answer, Effect, Key};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Accounts,
    Movements,
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
            pane: Pane::Accounts,
            mode: Mode::Normal,
            status: None,
            in_flight: 0,
            quit: false,
        }
    }

    /// The first work: load everything.
    pub fn start(&mut self) -> Vec<Effect> {
        self.track(vec![self.load_profile()])
    }

    /// Reads the profile again, its net worth in the currency shown.
    fn load_profile(&self) -> Effect {
        Effect::LoadProfile(self.accounts.convert_to)
    }

    fn track(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        self.in_flight += effects.len();
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
            Action::Answer(answer) => self.answer(answer),
        };
        self.track(effects)
    }

    fn key(&mut self, key: Key) -> Vec<Effect> {
        // In a form or the filter, letters are text: only Ctrl-C arrives as Quit there.
        if key == Key::Quit && matches!(self.mode, Mode::Form(_) | Mode::Filter) {
            self.quit = true;
            return Vec::new();
        }
        match self.mode.clone() {
            Mode::Form(form) => self.form_key(form, key),
            Mode::Confirm(movement) => {
                self.mode = Mode::Normal;
                match key {
                    Key::Char('y' | 'Y') => vec![Effect::DeleteMovement(movement)],
                    Key::Char('n' | 'N') | Key::Cancel => Vec::new(),
                    // Anything else leaves the question on screen.
                    _ => {
                        self.mode = Mode::Confirm(movement);
                        Vec::new()
                    }
                }
            }
            Mode::Reports => match key {
                Key::ToggleReports | Key::Cancel => {
                    self.mode = Mode::Normal;
                    Vec::new()
                }
                Key::Refresh => vec![Effect::LoadReports],
                Key::Quit => {
                    self.quit = true;
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Mode::Schedules => match key {
                Key::ToggleSchedules | Key::Cancel => {
                    self.mode = Mode::Normal;
                    Vec::new()
                }
                Key::Refresh => vec![Effect::LoadSchedules],
                Key::Quit => {
                    self.quit = true;
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Mode::Help => match key {
                Key::ToggleHelp | Key::Cancel | Key::Quit => {
                    self.mode = Mode::Normal;
                    Vec::new()
                }
                other => self.normal_key(other),
            },
            Mode::Filter => match key {
                Key::Char(c) => {
                    self.movements.filter.push(c);
                    self.movements.row = 0;
                    Vec::new()
                }
                Key::Backspace => {
                    self.movements.filter.pop();
                    self.movements.row = 0;
                    Vec::new()
                }
                // Enter asks for the matches of the whole history, not just what is
                // loaded; an empty filter goes back to every movement.
                Key::Submit => {
                    self.mode = Mode::Normal;
                    let wanted = Some(self.movements.filter.clone()).filter(|f| !f.is_empty());
                    if wanted != self.movements.applied {
                        self.movements.applied = wanted;
                        self.load_movements()
                    } else {
                        self.maybe_load_more()
                    }
                }
                Key::Cancel => {
                    self.movements.filter.clear();
                    self.mode = Mode::Normal;
                    if self.movements.applied.take().is_some() {
                        self.load_movements()
                    } else {
                        Vec::new()
                    }
                }
                other => self.normal_key(other),
            },
            Mode::Normal => self.normal_key(key),
        }
    }

    fn normal_key(&mut self, key: Key) -> Vec<Effect> {
        match key {
            Key::Quit => {
                self.quit = true;
                Vec::new()
            }
            Key::ToggleHelp => {
                self.mode = Mode::Help;
                Vec::new()
            }
            Key::NextPane => {
                self.pane = match self.pane {
                    Pane::Accounts => Pane::Movements,
                    Pane::Movements => Pane::Accounts,
                };
                Vec::new()
            }
            Key::Up | Key::Down => {
                let down = key == Key::Down;
                match self.pane {
                    Pane::Accounts if self.accounts.step(down) => self.load_movements(),
                    Pane::Accounts => Vec::new(),
                    Pane::Movements => {
                        self.movements.step(down);
                        self.maybe_load_more()
                    }
                }
            }
            Key::OpenNewAccount => {
                self.mode = Mode::Form(Form::account());
                Vec::new()
            }
            Key::OpenAddMovement => {
                if self.accounts.current().is_some() {
                    self.mode = Mode::Form(Form::movement(self.today));
                } else {
                    self.status = Some(Status::Error("Create an account first: press n".into()));
                }
                Vec::new()
            }
            Key::OpenFilter => {
                self.mode = Mode::Filter;
                Vec::new()
            }
            Key::OpenTransfer => {
                let Some(source) = self.accounts.current().cloned() else {
                    self.status = Some(Status::Error("Create an account first: press n".into()));
                    return Vec::new();
                };
                let targets: Vec<_> = self
                    .accounts
                    .list()
                    .into_iter()
                    .filter(|a| a.id != source.id && !a.archived)
                    .cloned()
                    .collect();
                if targets.is_empty() {
                    self.status = Some(Status::Error(
                        "A transfer needs a second account: press n".into(),
                    ));
                } else {
                    self.mode = Mode::Form(Form::transfer(&source, targets, self.today));
                }
                Vec::new()
            }
            Key::EditMovement | Key::DeleteMovement => {
                match self.movements.selected().cloned() {
                    None => {
                        self.status = Some(Status::Error("Select a movement first".into()));
                    }
                    Some(m) if m.transfer_id.is_some() => {
                        self.status = Some(Status::Error(
                            "A transfer leg changes with its transfer".into(),
                        ));
                    }
                    Some(m) if key == Key::EditMovement => self.mode = Mode::Form(Form::edit(&m)),
                    Some(m) => self.mode = Mode::Confirm(m),
                }
                Vec::new()
            }
            Key::ToggleArchived => {
                self.accounts.toggle_archived();
                if self.accounts.current().map(|a| a.id) != self.movements.account {
                    self.load_movements()
                } else {
                    Vec::new()
                }
            }
            Key::ToggleSchedules => {
                self.mode = Mode::Schedules;
                vec![Effect::LoadSchedules]
            }
            Key::ToggleReports => {
                self.mode = Mode::Reports;
                vec![Effect::LoadReports]
            }
            Key::SwitchCurrency => match self.accounts.next_currency() {
                Some(c) => {
                    self.status = Some(Status::Info(format!("Net worth in {c}…")));
                    vec![self.load_profile()]
                }
                None => {
                    self.status = Some(Status::Error(
                        "No currency to show yet: create an account first".into(),
                    ));
                    Vec::new()
                }
            },
            Key::Refresh => {
                self.status = Some(Status::Info("Refreshing…".into()));
                self.movements.account = None;
                vec![self.load_profile()]
            }
            Key::Cancel => {
                self.movements.filter.clear();
                if self.movements.applied.take().is_some() {
                    self.load_movements()
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    fn form_key(&mut self, mut form: Form, key: Key) -> Vec<Effect> {
        let mut effects = Vec::new();
        match key {
            Key::Cancel => {
                self.mode = Mode::Normal;
                return effects;
            }
            Key::Char(c) => form.push(c),
            Key::Backspace => form.pop(),
            Key::NextField | Key::Down => form.next(),
            Key::PrevField | Key::Up => form.prev(),
            Key::Submit if !form.submitting => {
                let sent = match form.kind {
                    Kind::Account => form.account_input().map(Effect::CreateAccount),
                    Kind::Transfer => form.transfer_input(self.today).map(Effect::Transfer),
                    Kind::Edit => match form.editing.clone() {
                        Some(movement) => form
                            .movement_patch(movement.amount.currency(), self.today)
                            .map(|patch| Effect::EditMovement { movement, patch }),
                        None => Err(ValidationError::new("amount", "no movement is selected")),
                    },
                    Kind::Movement => match self.accounts.current().cloned() {
                        Some(account) => form
                            .movement_input(account.currency, self.today)
                            .map(|input| Effect::AddMovement { account, input }),
                        None => Err(ValidationError::new("amount", "no account is selected")),
                    },
                };
                match sent {
                    Ok(effect) => {
                        form.errors.clear();
                        form.submitting = true;
                        effects.push(effect);
                    }
                    // Bad input stays in the form with its messages; nothing is sent.
                    Err(v) => form.errors = v.errors,
                }
            }
            _ => {}
        }
        self.mode = Mode::Form(form);
        effects
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

#[cfg(test)]
mod editing_tests;
#[cfg(test)]
pub(crate) mod tests;
