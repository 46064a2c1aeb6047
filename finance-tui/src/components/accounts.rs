//! The accounts list with balances, and the totals line above everything.

use std::collections::BTreeSet;

use finance_core::domain::{Account, AccountId, Currency, Movement, Profile, Role, totals};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::{amount_style, pane_block, shown, sign_style};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accounts {
    /// The user, their accounts and the totals, once loaded.
    pub profile: Option<Profile>,
    pub selected: usize,
    /// An account to select once the profile has it (just created).
    pub select_after_load: Option<AccountId>,
    /// Whether archived accounts are listed (they count in the totals either way).
    pub show_archived: bool,
    /// The currency the net worth is shown in, once chosen with `c` (until then the base
    /// currency, if the user has one).
    pub convert_to: Option<Currency>,
}

impl Accounts {
    /// The accounts listed: archived ones only when asked for.
    pub fn list(&self) -> Vec<&Account> {
        self.profile.as_ref().map_or(Vec::new(), |p| {
            p.accounts
                .iter()
                .filter(|a| self.show_archived || !a.archived)
                .collect()
        })
    }

    /// The account under the selection, if there is one.
    pub fn current(&self) -> Option<&Account> {
        self.list().get(self.selected).copied()
    }

    /// Shows or hides archived accounts, keeping the selection on the same account when it
    /// stays listed.
    pub fn toggle_archived(&mut self) {
        let was = self.current().map(|a| a.id);
        self.show_archived = !self.show_archived;
        let (found, n) = {
            let list = self.list();
            let found = was.and_then(|id| list.iter().position(|a| a.id == id));
            (found, list.len())
        };
        self.selected = found.unwrap_or(0).min(n.saturating_sub(1));
    }

    /// Takes a fresh profile, keeping the selection in range (or on the account that was
    /// just created).
    pub fn loaded(&mut self, profile: Profile) {
        self.profile = Some(profile);
        let wanted = self.select_after_load.take();
        let (found, n) = {
            let list = self.list();
            let found = wanted.and_then(|id| list.iter().position(|a| a.id == id));
            (found, list.len())
        };
        self.selected = found.unwrap_or(self.selected).min(n.saturating_sub(1));
    }

    /// Picks the next currency to show the net worth in: the base currency and those of
    /// the accounts, in code order, round. `None` when there is none yet.
    pub fn next_currency(&mut self) -> Option<Currency> {
        let profile = self.profile.as_ref()?;
        let options: BTreeSet<Currency> = profile
            .accounts
            .iter()
            .map(|a| a.currency)
            .chain(profile.user.base_currency)
            .collect();
        let shown = self
            .convert_to
            .or(profile.net_worth.as_ref().map(|n| n.currency));
        let next = match shown {
            Some(c) => options
                .range(c..)
                .find(|o| **o != c)
                .or_else(|| options.iter().next()),
            None => options.iter().next(),
        }
        .copied()?;
        self.convert_to = Some(next);
        Some(next)
    }

    /// Moves the selection; true if it moved.
    pub fn step(&mut self, down: bool) -> bool {
        let n = self.list().len();
        if n == 0 {
            return false;
        }
        let next = if down {
            (self.selected + 1).min(n - 1)
        } else {
            self.selected.saturating_sub(1)
        };
        let moved = next != self.selected;
        self.selected = next;
        moved
    }

    /// Shows a new movement in its account's balance and in the totals at once.
    pub fn apply(&mut self, movement: &Movement) -> bool {
        let Some(profile) = self.profile.as_mut() else {
            return false;
        };
        if let Some(a) = profile
            .accounts
            .iter_mut()
            .find(|a| a.id == movement.account_id)
        {
            match a.balance.checked_add(movement.amount) {
                Ok(b) => a.balance = b,
                Err(_) => return false,
            }
        }
        profile.totals = totals(&profile.accounts);
        true
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, focused: bool) {
        let width = usize::from(area.width.saturating_sub(4));
        let items: Vec<ListItem> = self
            .list()
            .iter()
            .map(|a| {
                let balance = shown(a.balance);
                let room = width.saturating_sub(balance.chars().count() + 1);
                let label = if a.archived {
                    format!("{} (archived)", a.name)
                } else {
                    a.name.clone()
                };
                let name: String = label.chars().take(room).collect();
                let pad = " "
                    .repeat(width.saturating_sub(name.chars().count() + balance.chars().count()));
                let mut lines = vec![Line::from(vec![
                    Span::from(name),
                    Span::from(pad),
                    Span::styled(balance, amount_style(a.balance)),
                ])];
                // A shared account says whose it is and what the user may do.
                if a.role != Role::Owner {
                    let owner = a
                        .owner_email
                        .as_ref()
                        .map_or_else(|| "someone who left".into(), |e| e.to_string());
                    let shared = format!("  ↔ {} · {owner}", a.role.as_str());
                    lines.push(Line::from(shared.chars().take(width).collect::<String>()).dim());
                }
                ListItem::new(lines)
            })
            .collect();
        let title = if self.show_archived {
            " Accounts (with archived) "
        } else {
            " Accounts "
        };
        let list = List::new(items)
            .block(pane_block(title, focused))
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut list_state =
            ListState::default().with_selected(self.current().map(|_| self.selected));
        frame.render_stateful_widget(list, area, &mut list_state);
    }

    /// The net worth line: converted into one currency when there is one to convert to
    /// (with what had no rate), then one total per currency, with who is signed in where.
    pub fn draw_totals(&self, frame: &mut Frame, area: Rect, location: &str) {
        let mut spans = vec![Span::from("Net worth: ").bold()];
        if let Some(nw) = self.profile.as_ref().and_then(|p| p.net_worth.as_ref()) {
            spans.push(Span::styled(
                format!("{} {}", nw.amount, nw.currency),
                sign_style(nw.amount.minor().signum() as i64).bold(),
            ));
            if !nw.missing.is_empty() {
                let codes: Vec<&str> = nw.missing.iter().map(|c| c.code()).collect();
                spans.push(Span::from(format!(" (no rate: {})", codes.join(", "))).dim());
            }
            spans.push(Span::from("   "));
        }
        match &self.profile {
            None => spans.push(Span::from("loading…")),
            Some(p) if p.totals.is_empty() => spans.push(Span::from("nothing yet")),
            Some(p) => {
                for (i, t) in p.totals.iter().enumerate() {
                    if i > 0 {
                        spans.push(Span::from("  ·  "));
                    }
                    let text = format!("{} {}", t.balance, t.currency);
                    spans.push(Span::styled(
                        text,
                        sign_style(t.balance.minor().signum() as i64),
                    ));
                }
            }
        }
        let who = self
            .profile
            .as_ref()
            .map(|p| p.user.email.to_string())
            .unwrap_or_default();
        let title = format!(" finance — {who} on {location} ");
        frame.render_widget(
            Paragraph::new(Line::from(spans)).block(Block::bordered().title(title)),
            area,
        );
    }
}
