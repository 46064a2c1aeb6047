//! The keys, on `?`.

use ratatui::Frame;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::centered;

const KEYS: [(&str, &str); 19] = [
    ("↑ ↓  j k", "move in the focused pane"),
    ("Tab", "switch between accounts and movements"),
    ("a", "add a movement to the selected account"),
    ("n", "new account"),
    ("e", "edit the selected movement"),
    ("d", "delete the selected movement (asks first)"),
    ("t", "transfer from the selected account"),
    ("/", "filter movements by text"),
    ("h", "show or hide archived accounts"),
    ("c", "net worth in the next currency"),
    ("g", "reports: spending vs budgets, cash flow"),
    ("s", "schedules: recurring movements"),
    ("m", "members of the account (i invite, x remove)"),
    ("u", "rules (Enter previews one, y applies it)"),
    ("l", "history of the selected movement"),
    ("b", "reconcile the account with a bank statement"),
    ("r", "refresh"),
    ("?", "this help"),
    ("q", "quit"),
];

pub fn draw(frame: &mut Frame) {
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::from(format!("{k:<10}")).bold(),
                Span::from(*what),
            ])
        })
        .collect();
    let area = centered(frame.area(), 56, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        area,
    );
}
