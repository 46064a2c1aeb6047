//! Members and invitations.

use super::*;
use finance_core::domain::{InvitationList, MemberList, MemberStatus};

impl Out {
    pub fn members(&self, list: &MemberList) {
        let rows = list
            .items
            .iter()
            .map(|m| {
                let status = match (m.status, m.expires_at) {
                    (MemberStatus::Invited, Some(until)) => {
                        format!("invited until {}", until.date())
                    }
                    (MemberStatus::Invited, None) => "invited".into(),
                    (MemberStatus::Active, _) => "active".into(),
                };
                vec![
                    Self::cell(m.email.to_string()),
                    Self::cell(m.role.as_str()),
                    Self::cell(status),
                ]
            })
            .collect();
        self.table(
            &[
                ("EMAIL", Align::Left),
                ("ROLE", Align::Left),
                ("STATUS", Align::Left),
            ],
            rows,
        );
    }

    pub fn invitations(&self, list: &InvitationList) {
        if list.items.is_empty() {
            self.line("No pending invitations.");
            return;
        }
        let rows = list
            .items
            .iter()
            .map(|i| {
                let by = i
                    .invited_by
                    .email
                    .as_ref()
                    .map_or_else(|| "(left)".to_string(), |e| e.to_string());
                vec![
                    Self::cell(format!("{} ({})", i.account.name, i.account.currency)),
                    Self::cell(i.role.as_str()),
                    Self::cell(by),
                    Self::cell(i.expires_at.date().to_string()),
                    Self::cell(i.id.to_string()),
                ]
            })
            .collect();
        self.table(
            &[
                ("ACCOUNT", Align::Left),
                ("ROLE", Align::Left),
                ("INVITED BY", Align::Left),
                ("UNTIL", Align::Left),
                ("ID", Align::Left),
            ],
            rows,
        );
        self.line("Accept with `finance invitations --accept ID` (or --decline ID).");
    }
}
