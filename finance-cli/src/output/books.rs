//! Reconciliations and history.

use super::*;
use finance_core::domain::{HistoryEntry, ReconciliationList};

impl Out {
    pub fn reconciliations(&self, list: &ReconciliationList) {
        if list.items.is_empty() {
            self.line("Not reconciled yet.");
            return;
        }
        let rows = list
            .items
            .iter()
            .map(|r| {
                vec![
                    Self::cell(r.date.to_string()),
                    self.amount(r.balance),
                    Self::cell(r.locked.to_string()),
                    Self::cell(r.id.to_string()),
                ]
            })
            .collect();
        self.table(
            &[
                ("DATE", Align::Left),
                ("BALANCE", Align::Right),
                ("LOCKED", Align::Right),
                ("ID", Align::Left),
            ],
            rows,
        );
    }

    pub fn history(&self, items: &[HistoryEntry]) {
        if items.is_empty() {
            self.line("No changes.");
            return;
        }
        let rows = items
            .iter()
            .map(|e| {
                let by =
                    e.by.email
                        .as_ref()
                        .map_or_else(|| "someone who left".to_string(), |m| m.to_string());
                let when = e.at.replace_nanosecond(0).unwrap_or(e.at);
                vec![
                    Self::cell(when.to_string()),
                    Self::cell(by),
                    Self::cell(format!("{} {}", e.entity.name(), e.action.name())),
                    Self::cell(e.summary()),
                ]
            })
            .collect();
        self.table(
            &[
                ("WHEN", Align::Left),
                ("BY", Align::Left),
                ("CHANGE", Align::Left),
                ("WHAT", Align::Left),
            ],
            rows,
        );
    }
}
