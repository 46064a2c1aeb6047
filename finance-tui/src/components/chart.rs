//! The selected account's balance over the loaded history.

use finance_core::domain::{Account, Movement};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph};
use time::Date;

/// The balance over the loaded history: (day, balance in minor units) at the end of each
/// day, oldest first. Walks back from the current balance, so it needs no more than the
/// pages already loaded.
pub fn balance_series(account: &Account, movements: &[Movement]) -> Vec<(Date, i128)> {
    let mut points: Vec<(Date, i128)> = Vec::new();
    let mut balance = i128::from(account.balance.minor());
    for m in movements.iter().filter(|m| m.account_id == account.id) {
        if points.last().map(|(d, _)| *d) != Some(m.occurred_on) {
            points.push((m.occurred_on, balance));
        }
        balance -= i128::from(m.amount.minor());
    }
    if let Some((first, _)) = points.last().copied() {
        points.push((first.previous_day().unwrap_or(first), balance));
    }
    points.reverse();
    points
}

pub fn draw(frame: &mut Frame, area: Rect, account: Option<&Account>, movements: &[Movement]) {
    let block = Block::bordered().title(" Balance over time ");
    let Some(account) = account else {
        frame.render_widget(block, area);
        return;
    };
    let series = balance_series(account, movements);
    if series.len() < 2 {
        frame.render_widget(
            Paragraph::new("Not enough history to draw yet.").block(block),
            area,
        );
        return;
    }
    // Floating point only places points on the screen; amounts stay integers elsewhere.
    let scale = 10f64.powi(i32::from(account.currency.exponent()));
    let points: Vec<(f64, f64)> = series
        .iter()
        .map(|(d, b)| (f64::from(d.to_julian_day()), *b as f64 / scale))
        .collect();
    let (x0, x1) = (points[0].0, points[points.len() - 1].0);
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo == hi {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let first = series[0].0.to_string();
    let last = series[series.len() - 1].0.to_string();
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .data(&points);
    let chart = Chart::new(vec![dataset])
        .block(block)
        .x_axis(Axis::default().bounds([x0, x1]).labels([first, last]))
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels([format!("{lo:.0}"), format!("{hi:.0}")]),
        );
    frame.render_widget(chart, area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::{account, movement};
    use time::macros::date;

    #[test]
    fn the_chart_walks_back_from_the_balance() {
        let a = account("Bank", "EUR", 1_000);
        let ms = vec![
            movement(&a, 300, date!(2026 - 01 - 03), "c"),
            movement(&a, -200, date!(2026 - 01 - 03), "b"),
            movement(&a, 900, date!(2026 - 01 - 01), "a"),
        ];
        let series = balance_series(&a, &ms);
        assert_eq!(
            series,
            vec![
                (date!(2025 - 12 - 31), 0),
                (date!(2026 - 01 - 01), 900),
                (date!(2026 - 01 - 03), 1_000),
            ]
        );
        assert!(balance_series(&a, &[]).is_empty());
    }
}
