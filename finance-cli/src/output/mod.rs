//! How results look: aligned tables with right-aligned amounts, colour only on a
//! terminal (and never with NO_COLOR), or JSON for scripts.

use std::io::{IsTerminal, Write};

use finance_core::domain::Profile;
use finance_core::domain::{
    Account, BudgetList, CashFlowReport, CategoryList, ExchangeRate, Money, MoneySum, Movement,
    NetWorthReport,
};
use serde::Serialize;

mod books;
mod reports;
mod rules;
mod sharing;
mod webhooks;

pub struct Out {
    json: bool,
    color: bool,
}

enum Align {
    Left,
    Right,
}

impl Out {
    pub fn new(json: bool) -> Self {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Self { json, color }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    pub fn value<T: Serialize>(&self, value: &T) {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        println!("{text}");
    }

    pub fn line(&self, text: &str) {
        println!("{text}");
    }

    fn amount(&self, m: Money) -> (String, String) {
        self.figure(format!("{m} {}", m.currency()), m.minor().signum())
    }

    fn total(&self, t: MoneySum) -> (String, String) {
        self.figure(format!("{t} {}", t.currency()), t.minor().signum() as i64)
    }

    /// An amount's text, green when positive and red when negative if colours are on.
    fn figure(&self, plain: String, sign: i64) -> (String, String) {
        let painted = match (self.color, sign) {
            (true, -1) => format!("\x1b[31m{plain}\x1b[0m"),
            (true, 1) => format!("\x1b[32m{plain}\x1b[0m"),
            _ => plain.clone(),
        };
        (plain, painted)
    }

    /// Prints rows under a header, each column as wide as its widest cell. Cells are
    /// (plain text for width, text to print).
    fn table(&self, header: &[(&str, Align)], rows: Vec<Vec<(String, String)>>) {
        let mut widths: Vec<usize> = header.iter().map(|(h, _)| h.chars().count()).collect();
        for row in &rows {
            for (w, (plain, _)) in widths.iter_mut().zip(row) {
                *w = (*w).max(plain.chars().count());
            }
        }
        let render = |cells: Vec<(String, String)>| {
            let mut line = String::new();
            for (i, ((plain, shown), (_, align))) in cells.iter().zip(header).enumerate() {
                let pad = " ".repeat(widths[i] - plain.chars().count());
                if i > 0 {
                    line.push_str("  ");
                }
                match align {
                    Align::Left => {
                        line.push_str(shown);
                        if i + 1 < cells.len() {
                            line.push_str(&pad);
                        }
                    }
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(shown);
                    }
                }
            }
            line
        };
        let head = header
            .iter()
            .map(|(h, _)| (h.to_string(), h.to_string()))
            .collect();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", render(head));
        for row in rows {
            let _ = writeln!(out, "{}", render(row));
        }
    }

    fn cell(text: impl Into<String>) -> (String, String) {
        let t = text.into();
        (t.clone(), t)
    }

    pub fn accounts(&self, accounts: &[Account]) {
        if accounts.is_empty() {
            self.line(
                "No accounts yet: create one with `finance account create NAME --currency EUR`.",
            );
            return;
        }
        let rows = accounts
            .iter()
            .map(|a| {
                let mut name = if a.archived {
                    format!("{} (archived)", a.name)
                } else {
                    a.name.clone()
                };
                if let Some(shared) = shared_by(a) {
                    name = format!("{name} ({shared})");
                }
                vec![
                    Self::cell(name),
                    self.amount(a.balance),
                    Self::cell(a.id.to_string()),
                ]
            })
            .collect();
        self.table(
            &[
                ("NAME", Align::Left),
                ("BALANCE", Align::Right),
                ("ID", Align::Left),
            ],
            rows,
        );
    }

    pub fn account(&self, a: &Account) {
        let (_, balance) = self.amount(a.balance);
        let owner = a
            .owner_email
            .as_ref()
            .map_or_else(|| a.owner_id.to_string(), |e| e.to_string());
        self.line(&format!(
            "{}\n  balance   {balance}\n  currency  {}\n  id        {}\n  created   {}\n  owner     {owner}\n  your role {}",
            a.name,
            a.currency,
            a.id,
            a.created_at.date(),
            a.role.as_str(),
        ));
    }

    pub fn overview(&self, p: &Profile) {
        self.line(&format!(
            "{} — {} account(s)\n",
            p.user.email,
            p.accounts.len()
        ));
        self.accounts(&p.accounts);
        if !p.totals.is_empty() {
            self.line("");
            let rows = p
                .totals
                .iter()
                .map(|t| vec![Self::cell(t.currency.code()), self.total(t.balance)])
                .collect();
            self.table(&[("TOTAL", Align::Left), ("BALANCE", Align::Right)], rows);
        }
        if let Some(nw) = &p.net_worth {
            self.line("");
            let (_, amount) = self.total(nw.amount);
            self.line(&format!("Net worth: {amount} (rates of {})", nw.as_of));
            if !nw.missing.is_empty() {
                let codes: Vec<&str> = nw.missing.iter().map(|c| c.code()).collect();
                self.line(&format!(
                    "Not included, no rate to {} on or before {}: {} (add one with `finance rates set`)",
                    nw.currency,
                    nw.as_of,
                    codes.join(", ")
                ));
            }
        }
    }

    /// Movements of several accounts, each with its account's name.
    pub fn found(&self, rows: &[(String, Movement)]) {
        if rows.is_empty() {
            self.line("No movements found.");
            return;
        }
        let rows = rows
            .iter()
            .map(|(account, m)| {
                vec![
                    Self::cell(m.occurred_on.to_string()),
                    Self::cell(account),
                    self.amount(m.amount),
                    Self::cell(m.category.clone().unwrap_or_default()),
                    Self::cell(marked(m)),
                ]
            })
            .collect();
        self.table(
            &[
                ("DATE", Align::Left),
                ("ACCOUNT", Align::Left),
                ("AMOUNT", Align::Right),
                ("CATEGORY", Align::Left),
                ("DESCRIPTION", Align::Left),
            ],
            rows,
        );
    }

    pub fn movements(&self, movements: &[Movement]) {
        if movements.is_empty() {
            self.line("No movements.");
            return;
        }
        let rows = movements
            .iter()
            .map(|m| {
                vec![
                    Self::cell(m.occurred_on.to_string()),
                    self.amount(m.amount),
                    Self::cell(rules::category_of(m)),
                    Self::cell(marked(m)),
                ]
            })
            .collect();
        self.table(
            &[
                ("DATE", Align::Left),
                ("AMOUNT", Align::Right),
                ("CATEGORY", Align::Left),
                ("DESCRIPTION", Align::Left),
            ],
            rows,
        );
    }

    /// An amount with its currency, as the tables show it.
    pub fn money(&self, m: Money) -> String {
        self.amount(m).1
    }

    /// One movement, field by field.
    pub fn movement_detail(&self, m: &Movement) {
        let (_, amount) = self.amount(m.amount);
        let transfer = m
            .transfer_id
            .map(|t| format!("\n  transfer  {t}"))
            .unwrap_or_default();
        let parts: String = m
            .splits
            .iter()
            .flatten()
            .map(|p| {
                let note = p
                    .description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                format!("\n    {} {}{note}", self.amount(p.amount).1, p.category)
            })
            .collect();
        let tags = if m.tags.is_empty() {
            String::new()
        } else {
            format!("\n  tags      {}", m.tags.join(", "))
        };
        self.line(&format!(
            "{}\n  amount    {amount}\n  date      {}\n  category  {}{parts}{tags}\n  id        {}{transfer}",
            m.description,
            m.occurred_on,
            if m.splits.is_some() { "split:" } else { m.category.as_deref().unwrap_or("-") },
            m.id
        ));
    }

    pub fn movement(&self, m: &Movement, balance: Option<Money>) {
        let (_, amount) = self.amount(m.amount);
        let after = balance
            .map(|b| format!("; balance {}", self.amount(b).1))
            .unwrap_or_default();
        self.line(&format!(
            "Recorded {amount} on {} ({}){after}",
            m.occurred_on, m.description
        ));
    }
}

/// A movement's description, marked as the dashboard marks it: ✓ reconciled, ⇄ a transfer
/// leg, ↻ a scheduled movement; its tags after it (`#trip`).
fn marked(m: &Movement) -> String {
    let text = match (m.transfer_id, m.schedule_id) {
        (Some(_), _) => format!("⇄ {}", m.description),
        (None, Some(_)) => format!("↻ {}", m.description),
        (None, None) => m.description.clone(),
    };
    let text = if m.reconciled {
        format!("✓ {text}")
    } else {
        text
    };
    m.tags
        .iter()
        .fold(text, |line, tag| format!("{line} #{tag}"))
}

/// "shared by ada@example.com, editor" for an account the reader does not own.
fn shared_by(a: &Account) -> Option<String> {
    (a.role != finance_core::domain::Role::Owner).then(|| {
        let owner = a
            .owner_email
            .as_ref()
            .map_or_else(|| "someone who left".to_string(), |e| e.to_string());
        format!("shared by {owner}, {}", a.role.as_str())
    })
}
