//! The dashboard's state machine: every change goes through [`State::update`], which
//! returns the work to do in the background. It never waits, so the screen never freezes,
//! and it is tested without a terminal.

use finance_core::domain::{
    Account, AccountId, AccountInput, Cursor, Movement, MovementInput, MovementPage,
    ValidationError,
};
use finance_core::domain::{Profile, totals};
use time::Date;

use crate::form::{Form, Kind};

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
}

/// What happened: a key the user meant, or the answer to background work.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    NextPane,
    OpenAddMovement,
    OpenNewAccount,
    OpenFilter,
    Refresh,
    ToggleHelp,
    Quit,
    Cancel,
    Submit,
    Char(char),
    Backspace,
    NextField,
    PrevField,
    ProfileLoaded(Profile),
    MovementsLoaded {
        account: AccountId,
        page: MovementPage,
        append: bool,
    },
    AccountCreated(Account),
    MovementAdded(Movement),
    Rejected(ValidationError),
    Failed(String),
}

/// Work for the background.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadProfile,
    LoadMovements {
        account: Account,
        cursor: Option<Cursor>,
    },
    CreateAccount(AccountInput),
    AddMovement {
        account: Account,
        input: MovementInput,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

/// Rows from the end of the loaded movements at which the next page is asked for.
const LOAD_AHEAD: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub location: String,
    pub today: Date,
    pub profile: Option<Profile>,
    pub selected: usize,
    pub pane: Pane,
    /// Loaded movements of the selected account, newest first.
    pub movements: Vec<Movement>,
    pub movements_for: Option<AccountId>,
    pub next_cursor: Option<Cursor>,
    pub loading_more: bool,
    /// The selected row among the movements that pass the filter.
    pub row: usize,
    pub filter: String,
    pub mode: Mode,
    pub status: Option<Status>,
    /// Background requests not answered yet.
    pub in_flight: usize,
    pub quit: bool,
    /// An account to select once the profile has it (just created).
    select_after_load: Option<AccountId>,
}

impl State {
    pub fn new(location: String, today: Date) -> Self {
        Self {
            location,
            today,
            profile: None,
            selected: 0,
            pane: Pane::Accounts,
            movements: Vec::new(),
            movements_for: None,
            next_cursor: None,
            loading_more: false,
            row: 0,
            filter: String::new(),
            mode: Mode::Normal,
            status: None,
            in_flight: 0,
            quit: false,
            select_after_load: None,
        }
    }

    /// The first work: load everything.
    pub fn start(&mut self) -> Vec<Effect> {
        self.track(vec![Effect::LoadProfile])
    }

    pub fn accounts(&self) -> &[Account] {
        self.profile.as_ref().map_or(&[], |p| p.accounts.as_slice())
    }

    pub fn account(&self) -> Option<&Account> {
        self.accounts().get(self.selected)
    }

    /// The loaded movements that pass the filter (description or category, any case).
    pub fn visible(&self) -> Vec<&Movement> {
        let needle = self.filter.to_lowercase();
        self.movements
            .iter()
            .filter(|m| {
                needle.is_empty()
                    || m.description.to_lowercase().contains(&needle)
                    || m.category
                        .as_deref()
                        .is_some_and(|c| c.to_lowercase().contains(&needle))
            })
            .collect()
    }

    fn track(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        self.in_flight += effects.len();
        effects
    }

    fn answered(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    fn load_movements(&mut self) -> Vec<Effect> {
        let Some(account) = self.account().cloned() else {
            self.movements.clear();
            self.movements_for = None;
            return Vec::new();
        };
        self.movements.clear();
        self.next_cursor = None;
        self.row = 0;
        self.movements_for = Some(account.id);
        // A page still on its way belongs to the old list; it is dropped when it comes
        // (see MovementsLoaded), so nothing is in flight for the new one.
        self.loading_more = false;
        vec![Effect::LoadMovements {
            account,
            cursor: None,
        }]
    }

    /// Asks for the next page when the selection comes near the end of what is loaded.
    fn maybe_load_more(&mut self) -> Vec<Effect> {
        let near_end = self.row + LOAD_AHEAD >= self.visible().len();
        match (
            near_end,
            self.next_cursor,
            self.loading_more,
            self.account().cloned(),
        ) {
            (true, Some(cursor), false, Some(account)) => {
                self.loading_more = true;
                vec![Effect::LoadMovements {
                    account,
                    cursor: Some(cursor),
                }]
            }
            _ => Vec::new(),
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // In a form or the filter, letters are text: only Ctrl-C arrives as Quit there.
        if action == Action::Quit && matches!(self.mode, Mode::Form(_) | Mode::Filter) {
            self.quit = true;
            return Vec::new();
        }
        let effects = match self.mode.clone() {
            Mode::Form(form) => self.update_form(form, action),
            Mode::Help => match action {
                Action::ToggleHelp | Action::Cancel | Action::Quit => {
                    self.mode = Mode::Normal;
                    Vec::new()
                }
                other => self.update_normal(other),
            },
            Mode::Filter => match action {
                Action::Char(c) => {
                    self.filter.push(c);
                    self.row = 0;
                    Vec::new()
                }
                Action::Backspace => {
                    self.filter.pop();
                    self.row = 0;
                    Vec::new()
                }
                Action::Submit => {
                    self.mode = Mode::Normal;
                    self.maybe_load_more()
                }
                Action::Cancel => {
                    self.filter.clear();
                    self.mode = Mode::Normal;
                    Vec::new()
                }
                other => self.update_normal(other),
            },
            Mode::Normal => self.update_normal(action),
        };
        self.track(effects)
    }

    fn update_normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::ToggleHelp => {
                self.mode = Mode::Help;
                Vec::new()
            }
            Action::NextPane => {
                self.pane = match self.pane {
                    Pane::Accounts => Pane::Movements,
                    Pane::Movements => Pane::Accounts,
                };
                Vec::new()
            }
            Action::Up | Action::Down => self.move_selection(action == Action::Down),
            Action::OpenNewAccount => {
                self.mode = Mode::Form(Form::account());
                Vec::new()
            }
            Action::OpenAddMovement => {
                if self.account().is_some() {
                    self.mode = Mode::Form(Form::movement(self.today));
                } else {
                    self.status = Some(Status::Error("Create an account first: press n".into()));
                }
                Vec::new()
            }
            Action::OpenFilter => {
                self.mode = Mode::Filter;
                Vec::new()
            }
            Action::Refresh => {
                self.status = Some(Status::Info("Refreshing…".into()));
                self.movements_for = None;
                vec![Effect::LoadProfile]
            }
            Action::Cancel => {
                self.filter.clear();
                Vec::new()
            }
            other => self.answer(other),
        }
    }

    fn move_selection(&mut self, down: bool) -> Vec<Effect> {
        match self.pane {
            Pane::Accounts => {
                let n = self.accounts().len();
                if n == 0 {
                    return Vec::new();
                }
                let next = if down {
                    (self.selected + 1).min(n - 1)
                } else {
                    self.selected.saturating_sub(1)
                };
                if next == self.selected {
                    return Vec::new();
                }
                self.selected = next;
                self.load_movements()
            }
            Pane::Movements => {
                let n = self.visible().len();
                if n > 0 {
                    self.row = if down {
                        (self.row + 1).min(n - 1)
                    } else {
                        self.row.saturating_sub(1)
                    };
                }
                self.maybe_load_more()
            }
        }
    }

    fn update_form(&mut self, mut form: Form, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        match action {
            Action::Cancel => {
                self.mode = Mode::Normal;
                return effects;
            }
            Action::Char(c) => form.push(c),
            Action::Backspace => form.pop(),
            Action::NextField | Action::Down => form.next(),
            Action::PrevField | Action::Up => form.prev(),
            Action::Submit if !form.submitting => {
                let sent = match form.kind {
                    Kind::Account => form.account_input().map(Effect::CreateAccount),
                    Kind::Movement => match self.account().cloned() {
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
            other => {
                self.mode = Mode::Form(form);
                return self.answer(other);
            }
        }
        self.mode = Mode::Form(form);
        effects
    }

    /// Answers from the background.
    fn answer(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::ProfileLoaded(profile) => {
                self.answered();
                if let Some(id) = self.select_after_load.take()
                    && let Some(i) = profile.accounts.iter().position(|a| a.id == id)
                {
                    self.selected = i;
                }
                self.selected = self.selected.min(profile.accounts.len().saturating_sub(1));
                self.profile = Some(profile);
                if matches!(&self.status, Some(Status::Info(s)) if s == "Refreshing…") {
                    self.status = None;
                }
                if self.account().map(|a| a.id) != self.movements_for {
                    self.load_movements()
                } else {
                    Vec::new()
                }
            }
            Action::MovementsLoaded {
                account,
                page,
                append,
            } => {
                self.answered();
                // A next page counts only if this list asked for it: one that was asked for
                // before a switch of accounts is stale.
                let current = Some(account) == self.movements_for;
                match (current, append) {
                    (true, true) if self.loading_more => {
                        self.movements.extend(page.items);
                        self.loading_more = false;
                        self.next_cursor = page.next_cursor;
                    }
                    (true, false) => {
                        self.movements = page.items;
                        self.next_cursor = page.next_cursor;
                    }
                    _ => {}
                }
                Vec::new()
            }
            Action::AccountCreated(account) => {
                self.answered();
                self.mode = Mode::Normal;
                self.status = Some(Status::Info(format!(
                    "Created {} ({})",
                    account.name, account.currency
                )));
                self.select_after_load = Some(account.id);
                vec![Effect::LoadProfile]
            }
            Action::MovementAdded(movement) => {
                self.answered();
                self.mode = Mode::Normal;
                self.status = Some(Status::Info(format!(
                    "Recorded {} {} ({})",
                    movement.amount,
                    movement.amount.currency(),
                    movement.description
                )));
                self.apply(movement);
                Vec::new()
            }
            Action::Rejected(v) => {
                self.answered();
                self.loading_more = false;
                if let Mode::Form(form) = &mut self.mode {
                    form.errors = v.errors;
                    form.submitting = false;
                } else {
                    self.status = Some(Status::Error(v.to_string()));
                }
                Vec::new()
            }
            Action::Failed(message) => {
                self.answered();
                self.loading_more = false;
                if let Mode::Form(form) = &mut self.mode {
                    form.submitting = false;
                }
                self.status = Some(Status::Error(message));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Shows a new movement at once: in the list, in the balance, in the totals.
    fn apply(&mut self, movement: Movement) {
        let Some(profile) = self.profile.as_mut() else {
            return;
        };
        if let Some(a) = profile
            .accounts
            .iter_mut()
            .find(|a| a.id == movement.account_id)
        {
            match a.balance.checked_add(movement.amount) {
                Ok(b) => a.balance = b,
                Err(_) => return,
            }
        }
        profile.totals = totals(&profile.accounts);
        if self.movements_for == Some(movement.account_id) {
            // Newest first: before every movement of the same day or older.
            let at = self
                .movements
                .iter()
                .position(|m| m.occurred_on <= movement.occurred_on);
            let at = at.unwrap_or(self.movements.len());
            if at < self.movements.len() || self.next_cursor.is_none() {
                self.movements.insert(at, movement);
            }
        }
    }
}

/// The selected account's balance over the loaded history: (day, balance in minor units)
/// at the end of each day, oldest first. Walks back from the current balance, so it needs
/// no more than the pages already loaded.
pub fn balance_series(account: &Account, movements: &[Movement]) -> Vec<(Date, i128)> {
    let mut points: Vec<(Date, i128)> = Vec::new();
    let mut balance = i128::from(account.balance.minor());
    for m in movements.iter().filter(|m| m.account_id == account.id) {
        if points.last().map(|(d, _)| *d) != Some(m.occurred_on) {
            points.push((m.occurred_on, balance));
        }
        balance -= i128::from(m.amount.minor());
    }
    if let Some((first, _)) = points.last().copied() {
        points.push((first.previous_day().unwrap_or(first), balance));
    }
    points.reverse();
    points
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use finance_core::domain::{Currency, Email, Money, MovementId, User, UserId};
    use time::macros::{date, datetime};

    pub const TODAY: Date = date!(2026 - 11 - 24);

    pub fn account(name: &str, code: &str, minor: i64) -> Account {
        let currency = Currency::parse(code).expect("currency");
        Account {
            id: AccountId::random(),
            owner_id: UserId(uuid::Uuid::nil()),
            name: name.into(),
            currency,
            balance: Money::from_minor(minor, currency),
            created_at: datetime!(2026-01-01 0:00 UTC),
        }
    }

    pub fn profile(accounts: Vec<Account>) -> Profile {
        let totals = totals(&accounts);
        Profile {
            user: User {
                id: UserId(uuid::Uuid::nil()),
                email: Email::parse("ada@example.com").expect("email"),
                created_at: datetime!(2026-01-01 0:00 UTC),
            },
            accounts,
            totals,
        }
    }

    pub fn movement(a: &Account, minor: i64, on: Date, description: &str) -> Movement {
        Movement {
            id: MovementId::random(),
            account_id: a.id,
            amount: Money::from_minor(minor, a.currency),
            description: description.into(),
            category: Some("food".into()),
            occurred_on: on,
            created_at: datetime!(2026-01-01 0:00 UTC),
        }
    }

    fn page(items: Vec<Movement>, more: bool) -> MovementPage {
        let next_cursor = more.then_some(Cursor {
            occurred_on: date!(2026 - 01 - 01),
            seq: 1,
        });
        MovementPage { items, next_cursor }
    }

    /// A loaded dashboard: Bank (EUR, 100.00) with `n` movements, and Cash (JPY).
    pub fn loaded(n: usize, more: bool) -> State {
        let mut s = State::new("the local database".into(), TODAY);
        assert_eq!(s.start(), vec![Effect::LoadProfile]);
        let bank = account("Bank", "EUR", 10_000);
        let cash = account("Cash", "JPY", 5_000);
        let effects = s.update(Action::ProfileLoaded(profile(vec![bank.clone(), cash])));
        assert_eq!(
            effects,
            vec![Effect::LoadMovements {
                account: bank.clone(),
                cursor: None
            }]
        );
        let items = (0..n)
            .map(|i| {
                movement(
                    &bank,
                    100,
                    TODAY - time::Duration::days(i as i64),
                    &format!("item {i}"),
                )
            })
            .collect();
        assert!(
            s.update(Action::MovementsLoaded {
                account: bank.id,
                page: page(items, more),
                append: false
            })
            .is_empty()
        );
        assert_eq!(s.in_flight, 0);
        s
    }

    fn typed(s: &mut State, text: &str) {
        for c in text.chars() {
            assert!(s.update(Action::Char(c)).is_empty());
        }
    }

    #[test]
    fn moving_between_accounts_loads_their_movements() {
        let mut s = loaded(3, false);
        let cash = s.accounts()[1].clone();
        assert_eq!(
            s.update(Action::Down),
            vec![Effect::LoadMovements {
                account: cash.clone(),
                cursor: None
            }]
        );
        assert_eq!(s.selected, 1);
        assert!(
            s.movements.is_empty(),
            "old movements are not shown for the new account"
        );
        assert!(
            s.update(Action::Down).is_empty(),
            "already at the last account"
        );
        let bank = s.accounts()[0].clone();
        assert_eq!(
            s.update(Action::Up),
            vec![Effect::LoadMovements {
                account: bank,
                cursor: None
            }]
        );
        // An answer for an account no longer selected is ignored.
        s.update(Action::MovementsLoaded {
            account: cash.id,
            page: page(vec![movement(&cash, 1, TODAY, "x")], false),
            append: false,
        });
        assert!(s.movements.is_empty());
    }

    #[test]
    fn switching_accounts_while_a_page_loads_leaves_loading_more_working() {
        let mut s = loaded(8, true);
        s.update(Action::NextPane);
        for _ in 0..3 {
            s.update(Action::Down);
        }
        assert!(s.loading_more, "a next page of Bank is on its way");
        let bank = s.accounts()[0].clone();
        let cash = s.accounts()[1].clone();
        // Back to the accounts, and on to Cash before Bank's page arrives.
        s.update(Action::NextPane);
        let effects = s.update(Action::Down);
        assert!(
            matches!(&effects[..], [Effect::LoadMovements { cursor: None, account }] if account.id == cash.id)
        );
        s.update(Action::MovementsLoaded {
            account: bank.id,
            page: page(vec![movement(&bank, 1, TODAY, "stale")], false),
            append: true,
        });
        assert!(s.movements.is_empty(), "the stale page is dropped");
        let cash_page = (0..8)
            .map(|i| movement(&cash, 1, TODAY, &format!("cash {i}")))
            .collect();
        s.update(Action::MovementsLoaded {
            account: cash.id,
            page: page(cash_page, true),
            append: false,
        });
        s.update(Action::NextPane);
        let mut asked = Vec::new();
        for _ in 0..4 {
            asked.extend(s.update(Action::Down));
        }
        assert!(
            matches!(&asked[..], [Effect::LoadMovements { cursor: Some(_), account }] if account.id == cash.id),
            "loading more works on the new account: {asked:?}"
        );
        // A failed load lets the next scroll ask again.
        s.update(Action::Failed("network".into()));
        assert!(!s.loading_more);
    }

    #[test]
    fn scrolling_loads_the_next_page_once() {
        let mut s = loaded(8, true);
        assert_eq!(s.update(Action::NextPane), vec![]);
        assert_eq!(s.pane, Pane::Movements);
        assert!(s.update(Action::Down).is_empty());
        assert!(s.update(Action::Down).is_empty());
        let effects = s.update(Action::Down);
        assert!(
            matches!(
                &effects[..],
                [Effect::LoadMovements {
                    cursor: Some(_),
                    ..
                }]
            ),
            "{effects:?}"
        );
        assert!(s.loading_more);
        assert!(
            s.update(Action::Down).is_empty(),
            "no second request while one is out"
        );
        let bank = s.accounts()[0].clone();
        let more = (0..3)
            .map(|i| movement(&bank, 1, date!(2026 - 01 - 01), &format!("old {i}")))
            .collect();
        s.update(Action::MovementsLoaded {
            account: bank.id,
            page: page(more, false),
            append: true,
        });
        assert_eq!(s.movements.len(), 11);
        assert!(!s.loading_more);
        assert_eq!(s.next_cursor, None);
        for _ in 0..20 {
            assert!(s.update(Action::Down).is_empty(), "nothing more to load");
        }
        assert_eq!(s.row, 10);
        s.update(Action::NextPane);
        assert_eq!(s.pane, Pane::Accounts);
    }

    #[test]
    fn adding_a_movement_validates_inline_then_updates_everything_at_once() {
        let mut s = loaded(2, false);
        s.update(Action::OpenAddMovement);
        let Mode::Form(form) = &s.mode else {
            panic!("form expected")
        };
        assert_eq!(form.fields[2].value, "2026-11-24", "date defaults to today");

        typed(&mut s, "12.345");
        assert!(
            s.update(Action::Submit).is_empty(),
            "bad input sends nothing"
        );
        let Mode::Form(form) = &s.mode else {
            panic!("form expected")
        };
        let fields: Vec<&str> = form.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["amount", "description"]);

        for _ in 0..3 {
            s.update(Action::Backspace);
        }
        typed(&mut s, "5");
        s.update(Action::NextField);
        typed(&mut s, "Refund");
        s.update(Action::NextField);
        s.update(Action::NextField);
        typed(&mut s, "misc");
        let effects = s.update(Action::Submit);
        let [Effect::AddMovement { account, input }] = &effects[..] else {
            panic!("{effects:?}")
        };
        assert_eq!(account.name, "Bank");
        assert_eq!(input.amount, "12.5");
        assert_eq!(input.category.as_deref(), Some("misc"));
        assert!(
            s.update(Action::Submit).is_empty(),
            "no double submit while saving"
        );

        let added = movement(account, 1_250, TODAY, "Refund");
        s.update(Action::MovementAdded(added.clone()));
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(s.movements[0], added);
        assert_eq!(s.accounts()[0].balance.to_string(), "112.50");
        let totals = &s.profile.as_ref().expect("profile").totals;
        assert_eq!(totals[0].balance.to_string(), "112.50");
        assert!(matches!(&s.status, Some(Status::Info(t)) if t.contains("12.50 EUR")));
    }

    #[test]
    fn server_side_rejections_and_failures_show_and_allow_retry() {
        let mut s = loaded(0, false);
        s.update(Action::OpenNewAccount);
        typed(&mut s, "Bank");
        let effects = s.update(Action::Submit);
        assert!(
            matches!(&effects[..], [Effect::CreateAccount(i)] if i.name == "Bank" && i.currency == "EUR")
        );
        s.update(Action::Rejected(ValidationError::new(
            "name",
            "an account with that name already exists",
        )));
        let Mode::Form(form) = &s.mode else {
            panic!("form stays open")
        };
        assert_eq!(
            form.errors_for("name"),
            ["an account with that name already exists"]
        );
        assert!(!form.submitting);
        assert_eq!(s.update(Action::Submit).len(), 1, "can submit again");
        s.update(Action::Failed(
            "service unavailable: cannot reach the server".into(),
        ));
        assert!(matches!(&s.status, Some(Status::Error(e)) if e.contains("cannot reach")));
        assert!(matches!(&s.mode, Mode::Form(f) if !f.submitting));
        s.update(Action::Cancel);
        assert_eq!(s.mode, Mode::Normal);
    }

    #[test]
    fn a_created_account_is_selected_once_loaded() {
        let mut s = loaded(0, false);
        s.update(Action::OpenNewAccount);
        typed(&mut s, "Zebra");
        s.update(Action::NextField);
        for _ in 0..3 {
            s.update(Action::Backspace);
        }
        typed(&mut s, "usd");
        let effects = s.update(Action::Submit);
        assert!(matches!(&effects[..], [Effect::CreateAccount(i)] if i.currency == "USD"));
        let zebra = account("Zebra", "USD", 0);
        assert_eq!(
            s.update(Action::AccountCreated(zebra.clone())),
            vec![Effect::LoadProfile]
        );
        let mut accounts = s.accounts().to_vec();
        accounts.push(zebra.clone());
        let effects = s.update(Action::ProfileLoaded(profile(accounts)));
        assert_eq!(s.account().map(|a| a.name.as_str()), Some("Zebra"));
        assert_eq!(
            effects,
            vec![Effect::LoadMovements {
                account: zebra,
                cursor: None
            }]
        );
    }

    #[test]
    fn filter_help_refresh_and_quit() {
        let mut s = loaded(3, false);
        s.update(Action::OpenFilter);
        typed(&mut s, "ITEM 1");
        assert_eq!(s.visible().len(), 1);
        s.update(Action::Submit);
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(s.visible().len(), 1, "Enter keeps the filter");
        s.update(Action::OpenFilter);
        s.update(Action::Cancel);
        assert_eq!(s.visible().len(), 3, "Esc clears it");

        s.update(Action::ToggleHelp);
        assert_eq!(s.mode, Mode::Help);
        s.update(Action::Quit);
        assert_eq!(s.mode, Mode::Normal);
        assert!(!s.quit, "q closes the help first");

        assert_eq!(s.update(Action::Refresh), vec![Effect::LoadProfile]);
        let p = s.profile.clone().expect("profile");
        let effects = s.update(Action::ProfileLoaded(p));
        assert!(
            matches!(&effects[..], [Effect::LoadMovements { cursor: None, .. }]),
            "refresh reloads movements"
        );
        assert_eq!(s.status, None);

        s.update(Action::OpenAddMovement);
        s.update(Action::Quit);
        assert!(s.quit, "Ctrl-C quits even from a form");
        let mut s = loaded(0, false);
        s.update(Action::Quit);
        assert!(s.quit);
    }

    #[test]
    fn adding_without_an_account_says_what_to_do() {
        let mut s = State::new("x".into(), TODAY);
        s.start();
        s.update(Action::ProfileLoaded(profile(Vec::new())));
        assert!(s.update(Action::OpenAddMovement).is_empty());
        assert_eq!(s.mode, Mode::Normal);
        assert!(matches!(&s.status, Some(Status::Error(e)) if e.contains("press n")));
        assert!(s.update(Action::Down).is_empty());
    }

    #[test]
    fn the_chart_walks_back_from_the_balance() {
        let a = account("Bank", "EUR", 1_000);
        let ms = vec![
            movement(&a, 300, date!(2026 - 01 - 03), "c"),
            movement(&a, -200, date!(2026 - 01 - 03), "b"),
            movement(&a, 900, date!(2026 - 01 - 01), "a"),
        ];
        let series = balance_series(&a, &ms);
        assert_eq!(
            series,
            vec![
                (date!(2025 - 12 - 31), 0),
                (date!(2026 - 01 - 01), 900),
                (date!(2026 - 01 - 03), 1_000),
            ]
        );
        assert!(balance_series(&a, &[]).is_empty());
    }
}
