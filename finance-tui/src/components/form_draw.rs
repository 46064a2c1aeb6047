//! Drawing a form: its fields as a pop-up, each with its errors, and a movement's parts.

use finance_core::domain::Currency;
use ratatui::Frame;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::super::centered;
use super::{Form, Kind};

/// The parts added so far, each with its errors, and what is left of the amount.
fn parts(form: &Form, currency: Option<Currency>) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = form
        .parts
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let mut part = vec![Line::from(format!(
                "            {:<20} {:>12}",
                p.category, p.amount
            ))];
            let key = format!("splits[{i}]");
            part.extend(
                form.errors
                    .iter()
                    .filter(|e| e.field.starts_with(&key))
                    .map(|e| {
                        Line::styled(
                            format!("              {}", e.message),
                            Style::new().fg(Color::Red),
                        )
                    }),
            );
            part
        })
        .collect();
    if !form.parts.is_empty()
        && let Some(left) = currency.and_then(|c| form.remainder(c))
    {
        let style = if left.is_zero() {
            Style::new().fg(Color::Green)
        } else {
            Style::new().fg(Color::Yellow)
        };
        lines.push(Line::styled(
            format!("            left to split: {left}"),
            style,
        ));
    }
    for e in form.errors_for("splits") {
        lines.push(Line::styled(
            format!("            {e}"),
            Style::new().fg(Color::Red),
        ));
    }
    lines
}

/// The form as a pop-up, with each field's errors under it; `currency` is the account's,
/// for a movement form's split remainder.
pub fn draw(frame: &mut Frame, form: &Form, currency: Option<Currency>) {
    let mut lines = Vec::new();
    for (i, f) in form.fields.iter().enumerate() {
        if !form.shown(i) {
            continue;
        }
        let focused = i == form.focus;
        let label = Span::from(format!("{:<12}", f.label)).bold();
        let value = if focused {
            Span::styled(format!("{}▏", f.value), Style::new().fg(Color::Cyan))
        } else {
            Span::from(f.value.clone())
        };
        lines.push(Line::from(vec![label, value]));
        if f.key == "split" {
            lines.extend(parts(form, currency));
        }
        for e in form.errors_for(f.key) {
            lines.push(Line::styled(
                format!("            {e}"),
                Style::new().fg(Color::Red),
            ));
        }
    }
    let other: Vec<&str> = form
        .errors
        .iter()
        .filter(|e| !form.fields.iter().any(|f| f.key == e.field))
        .map(|e| e.message.as_str())
        .collect();
    for e in other {
        lines.push(Line::styled(e.to_string(), Style::new().fg(Color::Red)));
    }
    lines.push(Line::from(""));
    lines.push(
        Line::from(if form.submitting {
            "Saving…"
        } else {
            if form.kind == Kind::Transfer {
                "Enter save · Tab next field · Space next account (in To) · Esc cancel"
            } else if matches!(form.kind, Kind::Movement | Kind::Edit) {
                "Enter save (in Split part: add the part) · Tab next field · Esc cancel"
            } else {
                "Enter save · Tab next field · Esc cancel"
            }
        })
        .dim(),
    );
    let area = centered(frame.area(), 60, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(form.title())),
        area,
    );
}
