//! Charts drawn on the server as SVG (no script, no inline style: the page's policy
//! allows neither), each with a title and description for screen readers and the same
//! figures as a table beside it.

use finance_core::domain::{CashFlowReport, Currency, NetWorthReport};
use maud::{Markup, html};

use super::format::money;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const MARGIN: f64 = 24.0;

/// One period of a chart: its label and its values in minor units.
pub struct Column {
    pub label: String,
    pub values: [i128; 2],
}

/// Income and expense per month, in the report's currency (or the first one it has).
pub fn cash_flow_columns(report: &CashFlowReport) -> Option<(Currency, Vec<Column>)> {
    let currency = report.currency.or_else(|| {
        report
            .periods
            .iter()
            .flat_map(|p| &p.totals)
            .map(|f| f.currency)
            .next()
    })?;
    let columns = report
        .periods
        .iter()
        .map(|p| {
            let flow = p
                .converted
                .filter(|f| f.currency == currency)
                .or_else(|| p.totals.iter().copied().find(|f| f.currency == currency));
            Column {
                label: month_label(p.start),
                values: flow.map_or([0, 0], |f| [f.income.minor(), f.expense.minor()]),
            }
        })
        .collect();
    Some((currency, columns))
}

/// The net worth at the end of each period, where it could be converted.
pub fn net_worth_points(report: &NetWorthReport) -> Option<(Currency, Vec<Column>)> {
    let currency = report.currency?;
    let points = report
        .points
        .iter()
        .map(|p| Column {
            label: month_label(p.date),
            values: [p.amount.map_or(0, |a| a.minor()), 0],
        })
        .collect();
    Some((currency, points))
}

fn month_label(d: time::Date) -> String {
    format!("{}-{:02}", d.year(), u8::from(d.month()))
}

fn scale(max: i128) -> f64 {
    if max <= 0 { 1.0 } else { max as f64 }
}

/// Income and expense side by side per period.
pub fn cash_flow_chart(id: &str, currency: Currency, columns: &[Column]) -> Markup {
    let max = columns.iter().flat_map(|c| c.values).max().unwrap_or(0);
    let top = scale(max);
    let slot = (WIDTH - 2.0 * MARGIN) / columns.len().max(1) as f64;
    let bar = slot * 0.38;
    let base = HEIGHT - MARGIN;
    let height = |v: i128| (v.max(0) as f64 / top) * (HEIGHT - 2.0 * MARGIN);
    let title = format!("Cash flow per month in {}", currency.code());
    html! {
        figure.chart {
            svg viewBox={"0 0 " (WIDTH) " " (HEIGHT)} role="img"
                aria-labelledby={(id) "-t " (id) "-d"} {
                title id={(id) "-t"} { (title) }
                desc id={(id) "-d"} { "Income and expense bars for each month; the table below lists the figures." }
                line.axis x1=(MARGIN) y1=(base) x2=(WIDTH - MARGIN) y2=(base) {}
                @for (i, c) in columns.iter().enumerate() {
                    @let x = MARGIN + i as f64 * slot + slot * 0.1;
                    rect.income x=(x) y=(base - height(c.values[0])) width=(bar) height=(height(c.values[0])) {}
                    rect.expense x=(x + bar) y=(base - height(c.values[1])) width=(bar) height=(height(c.values[1])) {}
                    @if i % 2 == 0 || columns.len() <= 6 {
                        text.label x=(x + bar) y=(HEIGHT - 6.0) text-anchor="middle" { (c.label) }
                    }
                }
            }
            figcaption { span.key.income { "Income" } " " span.key.expense { "Expense" } }
            (table(&title, &["Month", "Income", "Expense"], currency, columns, 2))
        }
    }
}

/// A line through the net worth at the end of each period.
pub fn net_worth_chart(id: &str, currency: Currency, points: &[Column]) -> Markup {
    let values: Vec<i128> = points.iter().map(|p| p.values[0]).collect();
    let max = values.iter().copied().max().unwrap_or(0);
    let min = values.iter().copied().min().unwrap_or(0).min(0);
    let span = scale(max - min);
    let step = (WIDTH - 2.0 * MARGIN) / (points.len().max(2) - 1) as f64;
    let y = |v: i128| HEIGHT - MARGIN - ((v - min) as f64 / span) * (HEIGHT - 2.0 * MARGIN);
    let path: String = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", MARGIN + i as f64 * step, y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let title = format!("Net worth in {}", currency.code());
    html! {
        figure.chart {
            svg viewBox={"0 0 " (WIDTH) " " (HEIGHT)} role="img"
                aria-labelledby={(id) "-t " (id) "-d"} {
                title id={(id) "-t"} { (title) }
                desc id={(id) "-d"} { "What was owned at the end of each month; the table below lists the figures." }
                line.axis x1=(MARGIN) y1=(y(0)) x2=(WIDTH - MARGIN) y2=(y(0)) {}
                polyline.worth points=(path) {}
                @for (i, p) in points.iter().enumerate() {
                    @if i % 2 == 0 || points.len() <= 6 {
                        text.label x=(MARGIN + i as f64 * step) y=(HEIGHT - 6.0) text-anchor="middle" { (p.label) }
                    }
                }
            }
            (table(&title, &["Month", "Net worth"], currency, points, 1))
        }
    }
}

/// How much of a budget is spent, as a bar (full and marked when over).
pub fn budget_bar(spent: i128, limit: i128) -> Markup {
    let share = if limit <= 0 {
        1.0
    } else {
        (spent.max(0) as f64 / limit as f64).min(1.0)
    };
    let over = spent > limit;
    html! {
        svg.budget viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" {
            rect.track x="0" y="0" width="100" height="8" {}
            rect class=(if over { "used over" } else { "used" }) x="0" y="0" width=(format!("{:.1}", share * 100.0)) height="8" {}
        }
    }
}

fn table(caption: &str, heads: &[&str], currency: Currency, rows: &[Column], n: usize) -> Markup {
    html! {
        details {
            summary { "Show as a table" }
            table {
                caption { (caption) }
                thead { tr { @for h in heads { th scope="col" { (h) } } } }
                tbody {
                    @for r in rows {
                        tr {
                            th scope="row" { (r.label) }
                            @for v in &r.values[..n] { td.num { (money(minor_text(*v, currency), currency)) } }
                        }
                    }
                }
            }
        }
    }
}

/// Minor units written with the currency's digits (`12345` EUR → `123.45`).
fn minor_text(minor: i128, currency: Currency) -> String {
    finance_core::domain::MoneySum::zero(currency)
        .plus_minor(minor)
        .to_string()
}
