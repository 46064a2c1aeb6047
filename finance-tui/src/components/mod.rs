//! The dashboard's parts, each with the state it owns and how it draws itself: the
//! accounts list (with the totals above it), the movements table, the balance chart, the
//! forms, the help, the reports screen and sharing. [`crate::state::State`] routes keys and answers between them.

pub mod accounts;
pub mod chart;
pub mod form;
pub mod help;
pub mod history;
pub mod movements;
pub mod reports;
pub mod rules;
pub mod schedules;
pub mod sharing;

use finance_core::domain::Money;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Block;

/// Green for income, red for expenses, plain for zero.
pub fn sign_style(sign: i64) -> Style {
    match sign {
        -1 => Style::new().fg(Color::Red),
        1 => Style::new().fg(Color::Green),
        _ => Style::new(),
    }
}

pub fn amount_style(m: Money) -> Style {
    sign_style(m.minor().signum())
}

/// An amount with its currency: `-12.50 EUR`.
pub fn shown(m: Money) -> String {
    format!("{m} {}", m.currency())
}

/// A pane's border, highlighted when it has the focus.
pub fn pane_block(title: &str, focused: bool) -> Block<'_> {
    let block = Block::bordered().title(title);
    if focused {
        block.border_style(Style::new().fg(Color::Cyan))
    } else {
        block
    }
}

/// A box of at most `width` × `height` in the middle of `area`, for pop-ups.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
