//! The reports screen (`g`): this month's spending by category against its budgets, and
//! income against expense by month, in one currency.

use finance_core::domain::{BudgetList, CashFlowReport, Currency, Flow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

/// What the screen shows, once loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reports {
    pub cash_flow: Option<CashFlowReport>,
    pub budgets: Option<BudgetList>,
}

/// One bar of the spending chart: a category's expenses this month and its budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spending {
    pub category: String,
    /// Minor units of the chart's currency.
    pub spent: i128,
    pub budget: Option<i128>,
}

impl Spending {
    pub fn over(&self) -> bool {
        self.budget.is_some_and(|b| self.spent > b)
    }
}

/// A period's flow in the chart's currency: converted when the report converts, else its
/// own figures in that currency.
fn flow_in(totals: &[Flow], converted: Option<&Flow>, currency: Currency) -> Option<Flow> {
    converted
        .copied()
        .or_else(|| totals.iter().find(|f| f.currency == currency).copied())
}

impl Reports {
    /// The chart's currency: the report's (the base currency) if it converts, else the one
    /// with the most expense in the last period.
    pub fn currency(&self) -> Option<Currency> {
        let report = self.cash_flow.as_ref()?;
        report.currency.or_else(|| {
            report
                .periods
                .last()?
                .totals
                .iter()
                .max_by_key(|f| f.expense.minor())
                .map(|f| f.currency)
        })
    }

    /// This month's expenses per category in the chart's currency, with each budget set in
    /// that currency (categories with a budget and no spending too), largest first.
    pub fn spending(&self) -> Vec<Spending> {
        let (Some(report), Some(currency)) = (self.cash_flow.as_ref(), self.currency()) else {
            return Vec::new();
        };
        let mut bars: Vec<Spending> = report
            .periods
            .last()
            .map(|p| {
                p.categories
                    .iter()
                    .filter_map(|c| {
                        let f = flow_in(&c.totals, c.converted.as_ref(), currency)?;
                        Some(Spending {
                            category: c.name.clone().unwrap_or_else(|| "(none)".into()),
                            spent: f.expense.minor(),
                            budget: None,
                        })
                    })
                    .filter(|s| s.spent > 0)
                    .collect()
            })
            .unwrap_or_default();
        for b in self.budgets.iter().flat_map(|l| &l.items) {
            if b.currency != currency {
                continue;
            }
            match bars.iter_mut().find(|s| s.category == b.category) {
                Some(s) => s.budget = Some(i128::from(b.amount.minor())),
                None => bars.push(Spending {
                    category: b.category.clone(),
                    spent: 0,
                    budget: Some(i128::from(b.amount.minor())),
                }),
            }
        }
        bars.sort_by(|a, b| b.spent.cmp(&a.spent).then(a.category.cmp(&b.category)));
        bars
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect) {
        let Some(currency) = self.currency() else {
            let text = if self.cash_flow.is_none() {
                "Loading the reports…"
            } else {
                "Nothing to show yet: record some movements."
            };
            frame.render_widget(
                Paragraph::new(text)
                    .centered()
                    .block(Block::bordered().title(" Reports ")),
                area,
            );
            return;
        };
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        let major = |minor: i128| {
            let scale = 10i128.pow(u32::from(currency.exponent()));
            u64::try_from(minor.max(0) / scale).unwrap_or(u64::MAX)
        };
        let bars: Vec<Bar> = self
            .spending()
            .iter()
            .map(|s| {
                let (style, label) = match s.budget {
                    Some(b) if s.over() => (
                        Style::new().fg(Color::Red).bold(),
                        format!("{} {}/{} !", s.category, major(s.spent), major(b)),
                    ),
                    Some(b) => (
                        Style::new().fg(Color::Green),
                        format!("{} {}/{}", s.category, major(s.spent), major(b)),
                    ),
                    None => (Style::new().fg(Color::Yellow), s.category.clone()),
                };
                Bar::default()
                    .value(major(s.spent))
                    .label(Line::from(label))
                    .style(style)
                    .value_style(style.reversed())
            })
            .collect();
        let month = self
            .cash_flow
            .as_ref()
            .and_then(|r| r.periods.last())
            .map(|p| p.start.to_string()[..7].to_string())
            .unwrap_or_default();
        let title = format!(" Spending in {month} by category, {currency} (spent/budget; ! over) ");
        frame.render_widget(
            BarChart::default()
                .block(Block::bordered().title(title))
                .direction(Direction::Horizontal)
                .bar_width(1)
                .bar_gap(0)
                .data(BarGroup::new(bars)),
            top,
        );
        let groups: Vec<BarGroup> = self
            .cash_flow
            .iter()
            .flat_map(|r| &r.periods)
            .filter_map(|p| {
                let f = flow_in(&p.totals, p.converted.as_ref(), currency)?;
                let label = p.start.month().to_string()[..3].to_string();
                Some(BarGroup::with_label(
                    label,
                    vec![
                        Bar::default()
                            .value(major(f.income.minor()))
                            .style(Style::new().fg(Color::Green)),
                        Bar::default()
                            .value(major(f.expense.minor()))
                            .style(Style::new().fg(Color::Red)),
                    ],
                ))
            })
            .collect();
        let mut chart = BarChart::default()
            .block(Block::bordered().title(format!(
                " Cash flow by month, {currency}: income (green) and expense (red) "
            )))
            .bar_width(3)
            .bar_gap(0)
            .group_gap(1);
        for g in groups {
            chart = chart.data(g);
        }
        frame.render_widget(chart, bottom);
    }
}
