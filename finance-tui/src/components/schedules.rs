//! The schedules screen (`s`): every recurring movement with its rule and next date.

use finance_core::domain::{Account, Schedule, ScheduleList};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use time::Date;

use super::{amount_style, shown};

/// How a schedule repeats, in words: "every month", "every 2 weeks until 2027-06-30".
pub fn rule(s: &Schedule) -> String {
    let every = if s.interval == 1 {
        format!("every {}", s.every.as_str())
    } else {
        format!("every {} {}s", s.interval, s.every.as_str())
    };
    match s.end {
        Some(end) => format!("{every} until {end}"),
        None => every,
    }
}

/// The next date a schedule books after `today`, if any.
pub fn next(s: &Schedule, today: Date) -> Option<Date> {
    let from = today.next_day()?;
    s.recurrence().from_date(from, 1).first().copied()
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    list: Option<&ScheduleList>,
    accounts: &[Account],
    today: Date,
) {
    let block = Block::bordered().title(" Schedules (↻ in the movements) ");
    let Some(list) = list else {
        frame.render_widget(Paragraph::new("Loading the schedules…").block(block), area);
        return;
    };
    if list.items.is_empty() {
        let text = vec![
            Line::from("No schedules yet.").bold(),
            Line::from(""),
            Line::from("Add one with `finance schedule add ACCOUNT AMOUNT -d TEXT --every month`."),
        ];
        frame.render_widget(Paragraph::new(text).centered().block(block), area);
        return;
    }
    let rows: Vec<Row> = list
        .items
        .iter()
        .map(|s| {
            let account = accounts
                .iter()
                .find(|a| a.id == s.account)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            Row::new(vec![
                Line::from(s.description.clone()),
                Line::from(account),
                Line::styled(shown(s.amount), amount_style(s.amount)).right_aligned(),
                Line::from(rule(s)),
                Line::from(
                    next(s, today)
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "—".into()),
                ),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Min(12),
            Constraint::Length(14),
            Constraint::Length(16),
            Constraint::Length(28),
            Constraint::Length(11),
        ],
    )
    .header(Row::new(vec!["DESCRIPTION", "ACCOUNT", "AMOUNT", "REPEATS", "NEXT"]).bold())
    .block(block);
    frame.render_widget(table, area);
}
