//! Webhooks and their deliveries.

use super::*;
use finance_core::domain::{Delivery, Webhook, WebhookStatus};

impl Out {
    pub fn webhooks(&self, hooks: &[Webhook]) {
        if hooks.is_empty() {
            self.line("No webhooks. Add one: finance webhook add URL [--event TYPE]…");
            return;
        }
        let rows = hooks
            .iter()
            .map(|h| {
                let status = match (h.status, h.failing_since) {
                    (WebhookStatus::Disabled, _) => "disabled".to_string(),
                    (WebhookStatus::Active, Some(since)) => {
                        format!("failing since {}", since.date())
                    }
                    (WebhookStatus::Active, None) => "active".to_string(),
                };
                vec![
                    Self::cell(h.id.to_string()),
                    Self::cell(h.url.clone()),
                    Self::cell(h.events.join(",")),
                    Self::cell(status),
                ]
            })
            .collect();
        self.table(
            &[
                ("ID", Align::Left),
                ("URL", Align::Left),
                ("EVENTS", Align::Left),
                ("STATUS", Align::Left),
            ],
            rows,
        );
    }

    pub fn deliveries(&self, items: &[Delivery]) {
        if items.is_empty() {
            self.line("Nothing delivered yet.");
            return;
        }
        let rows = items
            .iter()
            .map(|d| {
                let last = d.attempts.last().map_or_else(String::new, |a| {
                    a.error
                        .clone()
                        .or_else(|| a.status.map(|s| s.to_string()))
                        .unwrap_or_default()
                });
                vec![
                    Self::cell(d.created_at.to_string()),
                    Self::cell(d.kind.clone()),
                    Self::cell(d.state.name().to_string()),
                    Self::cell(d.attempts.len().to_string()),
                    Self::cell(last),
                    Self::cell(d.id.to_string()),
                ]
            })
            .collect();
        self.table(
            &[
                ("CREATED", Align::Left),
                ("TYPE", Align::Left),
                ("STATE", Align::Left),
                ("ATTEMPTS", Align::Right),
                ("LAST ANSWER", Align::Left),
                ("EVENT ID", Align::Left),
            ],
            rows,
        );
    }
}
