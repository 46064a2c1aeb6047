//! The history pane: every change to the selected movement, newest first, over the
//! dashboard.

use finance_core::domain::{HistoryEntry, Movement};
use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Row, Table};

use super::centered;

/// The movement whose history is shown, and its entries once loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub movement: Movement,
    pub entries: Option<Vec<HistoryEntry>>,
}

pub fn draw(frame: &mut Frame, h: &History) {
    let rows: Vec<Row> = match &h.entries {
        None => vec![Row::new(vec!["", "", "loading…"])],
        Some(entries) if entries.is_empty() => {
            vec![Row::new(vec![
                "",
                "",
                "no changes recorded (made before history was kept)",
            ])]
        }
        Some(entries) => entries
            .iter()
            .map(|e| {
                let by =
                    e.by.email
                        .as_ref()
                        .map_or_else(|| "someone who left".into(), |m| m.to_string());
                let when = format!("{} {:02}:{:02}", e.at.date(), e.at.hour(), e.at.minute());
                Row::new(vec![when, format!("{} {by}", e.action.name()), e.summary()])
            })
            .collect(),
    };
    let area = centered(frame.area(), 110, rows.len() as u16 + 5);
    frame.render_widget(Clear, area);
    let table = Table::new(
        rows,
        [
            Constraint::Length(16),
            Constraint::Min(24),
            Constraint::Percentage(60),
        ],
    )
    .header(Row::new(vec!["WHEN", "WHAT, BY", "CHANGE"]).bold())
    .block(
        Block::bordered()
            .title(format!(" History — {} ", h.movement.description))
            .title_bottom(Line::from(" l or Esc back ").centered()),
    );
    frame.render_widget(table, area);
}
