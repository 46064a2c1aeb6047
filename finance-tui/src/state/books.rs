//! Reconciling the selected account, and the selected movement's history.

use crate::components::form::Form;
use crate::components::history::History;
use crate::message::{Answer, Effect};

use super::{Mode, State, Status};

impl State {
    /// The selected movement's history, loaded in the background.
    pub(super) fn open_history(&mut self) -> Vec<Effect> {
        let (Some(account), Some(movement)) = (
            self.accounts.current().cloned(),
            self.movements.selected().cloned(),
        ) else {
            self.status = Some(Status::Error("Select a movement first".into()));
            return Vec::new();
        };
        let id = movement.id;
        self.mode = Mode::History(History {
            movement,
            entries: None,
        });
        vec![Effect::LoadHistory {
            account,
            movement: id,
        }]
    }

    /// The reconcile form for the selected account.
    pub(super) fn open_reconcile(&mut self) -> Vec<Effect> {
        if self.accounts.current().is_some() {
            self.mode = Mode::Form(Form::reconcile(self.today));
        } else {
            self.status = Some(Status::Error("Create an account first: press n".into()));
        }
        Vec::new()
    }

    pub(super) fn books_answer(&mut self, answer: Answer) -> Vec<Effect> {
        match answer {
            Answer::HistoryLoaded { movement, page } => {
                if let Mode::History(h) = &mut self.mode
                    && h.movement.id == movement
                {
                    h.entries = Some(page.items);
                }
                Vec::new()
            }
            Answer::Reconciled(r) => {
                self.mode = Mode::Normal;
                self.status = Some(Status::Info(format!(
                    "Reconciled through {} at {} {}: {} movement(s) locked",
                    r.date, r.balance, r.currency, r.locked
                )));
                // The ✓ marks and the account's reconciled day are read again.
                self.movements.account = None;
                vec![Effect::LoadProfile(self.accounts.convert_to)]
            }
            _ => Vec::new(),
        }
    }
}
