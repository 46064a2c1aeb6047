//! How the state answers a key: in the normal view, in a form, in the filter and the
//! other modes.

use finance_core::domain::ValidationError;

use crate::components::form::{Form, Kind};
use crate::message::{Effect, Key};

use super::{Mode, Pane, State, Status};

impl State {
    pub(super) fn key(&mut self, key: Key) -> Vec<Effect> {
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
            Mode::Invitations | Mode::Members => self.sharing_key(key),
            Mode::Rules => self.rules_key(key),
            Mode::History(_) => match key {
                Key::ToggleHistory | Key::Cancel => {
                    self.mode = Mode::Normal;
                    Vec::new()
                }
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

    pub(super) fn normal_key(&mut self, key: Key) -> Vec<Effect> {
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
                    Some(m) if m.reconciled => {
                        self.status = Some(Status::Error(
                            "Reconciled with the bank: locked (remove the reconciliation to change it)"
                                .into(),
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
            Key::ToggleMembers => self.open_members(),
            Key::ToggleRules => self.open_rules(),
            Key::ToggleHistory => self.open_history(),
            Key::OpenReconcile => self.open_reconcile(),
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

    pub(super) fn form_key(&mut self, mut form: Form, key: Key) -> Vec<Effect> {
        let mut effects = Vec::new();
        match key {
            Key::Cancel => {
                // An invitation form goes back to the members it was opened from.
                self.mode = if form.kind == Kind::Invite {
                    Mode::Members
                } else {
                    Mode::Normal
                };
                return effects;
            }
            Key::Char(c) => form.push(c),
            Key::Backspace => form.pop(),
            Key::NextField | Key::Down => form.next(),
            Key::PrevField | Key::Up => form.prev(),
            Key::Submit if form.typing_part() => form.add_part(),
            Key::Submit if !form.submitting => {
                let sent = match form.kind {
                    Kind::Account => form.account_input().map(Effect::CreateAccount),
                    Kind::Invite => match self.sharing.account.clone() {
                        Some(account) => form
                            .invite_input()
                            .map(|input| Effect::Invite { account, input }),
                        None => Err(ValidationError::new("email", "no account is selected")),
                    },
                    Kind::Transfer => form.transfer_input(self.today).map(Effect::Transfer),
                    Kind::Reconcile => match self.accounts.current().cloned() {
                        Some(account) => form
                            .reconcile_input(account.currency, self.today)
                            .map(|input| Effect::Reconcile { account, input }),
                        None => Err(ValidationError::new("date", "no account is selected")),
                    },
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
}
