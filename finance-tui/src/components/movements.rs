//! The selected account's movements: loaded a page at a time as the selection nears the
//! end, filtered by text.

use finance_core::domain::{Account, AccountId, Cursor, Movement, MovementPage};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, TableState};

use super::{amount_style, pane_block, shown};
use crate::message::Effect;

/// Rows from the end of the loaded movements at which the next page is asked for.
const LOAD_AHEAD: usize = 5;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Movements {
    /// Loaded movements of `account`, newest first.
    pub items: Vec<Movement>,
    /// Whose movements these are.
    pub account: Option<AccountId>,
    pub next_cursor: Option<Cursor>,
    pub loading_more: bool,
    /// The selected row among the movements that pass the filter.
    pub row: usize,
    /// What is typed after `/`: it narrows the loaded movements at once.
    pub filter: String,
    /// The filter Enter sent: the loaded movements are the matches of the whole history.
    pub applied: Option<String>,
}

impl Movements {
    /// The loaded movements that pass the filter (description or category, any case).
    /// The movement under the selection, if any.
    pub fn selected(&self) -> Option<&Movement> {
        self.visible().get(self.row).copied()
    }

    pub fn visible(&self) -> Vec<&Movement> {
        if self.applied.as_deref() == Some(self.filter.as_str()) {
            return self.items.iter().collect();
        }
        let needle = self.filter.to_lowercase();
        self.items
            .iter()
            .filter(|m| {
                needle.is_empty()
                    || m.description.to_lowercase().contains(&needle)
                    || m.categories().join("+").to_lowercase().contains(&needle)
            })
            .collect()
    }

    /// Starts over for `account`: empty, and its first page asked for.
    pub fn show(&mut self, account: Option<&Account>) -> Vec<Effect> {
        self.items.clear();
        self.next_cursor = None;
        self.row = 0;
        // A page still on its way belongs to the old list; it is dropped when it comes
        // (see `page_loaded`), so nothing is in flight for the new one.
        self.loading_more = false;
        self.account = account.map(|a| a.id);
        match account {
            Some(account) => vec![Effect::LoadMovements {
                account: account.clone(),
                cursor: None,
                q: self.applied.clone(),
            }],
            None => Vec::new(),
        }
    }

    /// Asks for the next page when the selection comes near the end of what is loaded.
    pub fn maybe_load_more(&mut self, account: Option<&Account>) -> Vec<Effect> {
        let near_end = self.row + LOAD_AHEAD >= self.visible().len();
        match (near_end, self.next_cursor, self.loading_more, account) {
            (true, Some(cursor), false, Some(account)) => {
                self.loading_more = true;
                vec![Effect::LoadMovements {
                    account: account.clone(),
                    cursor: Some(cursor),
                    q: self.applied.clone(),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// Moves the selected row within what passes the filter.
    pub fn step(&mut self, down: bool) {
        let n = self.visible().len();
        if n > 0 {
            self.row = if down {
                (self.row + 1).min(n - 1)
            } else {
                self.row.saturating_sub(1)
            };
        }
    }

    /// Takes a page. A next page counts only if this list asked for it: one that was asked
    /// for before a switch of accounts is stale.
    pub fn page_loaded(&mut self, account: AccountId, page: MovementPage, append: bool) {
        let current = Some(account) == self.account;
        match (current, append) {
            (true, true) if self.loading_more => {
                self.items.extend(page.items);
                self.loading_more = false;
                self.next_cursor = page.next_cursor;
            }
            (true, false) => {
                self.items = page.items;
                self.next_cursor = page.next_cursor;
            }
            _ => {}
        }
    }

    /// Shows a movement just added, in its place, if it belongs in what is loaded.
    pub fn insert(&mut self, movement: Movement) {
        if self.account != Some(movement.account_id) {
            return;
        }
        // Newest first: before every movement of the same day or older.
        let at = self
            .items
            .iter()
            .position(|m| m.occurred_on <= movement.occurred_on)
            .unwrap_or(self.items.len());
        if at < self.items.len() || self.next_cursor.is_none() {
            self.items.insert(at, movement);
        }
    }

    pub fn draw(
        &self,
        frame: &mut Frame,
        area: Rect,
        focused: bool,
        account: Option<&Account>,
        filtering: bool,
    ) {
        let visible = self.visible();
        let rows: Vec<Row> = visible
            .iter()
            .map(|m| {
                Row::new(vec![
                    Line::from(m.occurred_on.to_string()),
                    Line::styled(shown(m.amount), amount_style(m.amount)).right_aligned(),
                    Line::from(m.categories().join("+")),
                    // Reconciled movements, transfer legs and scheduled movements are
                    // marked; tags follow.
                    Line::from(m.tags.iter().fold(
                        match (m.reconciled, m.transfer_id, m.schedule_id) {
                            (true, _, _) => format!("✓ {}", m.description),
                            (false, Some(_), _) => format!("⇄ {}", m.description),
                            (false, None, Some(_)) => format!("↻ {}", m.description),
                            (false, None, None) => m.description.clone(),
                        },
                        |line, tag| format!("{line} #{tag}"),
                    )),
                ])
            })
            .collect();
        let mut title = match account {
            Some(a) => format!(" Movements — {} ", a.name),
            None => " Movements ".to_string(),
        };
        if !self.filter.is_empty() || filtering {
            title.push_str(&format!("[filter: {}] ", self.filter));
        }
        if self.loading_more {
            title.push_str("(loading more…) ");
        } else if self.next_cursor.is_some() {
            title.push_str("(more below) ");
        }
        let empty = rows.is_empty();
        let table = Table::new(
            rows,
            [
                Constraint::Length(10),
                Constraint::Length(14),
                Constraint::Length(10),
                Constraint::Min(8),
            ],
        )
        .header(Row::new(vec!["Date", "Amount", "Category", "Description"]).bold())
        .block(pane_block(&title, focused))
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
        let mut table_state = TableState::default().with_selected((!empty).then_some(self.row));
        frame.render_stateful_widget(table, area, &mut table_state);
    }
}
