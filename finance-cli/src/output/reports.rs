//! The reports' tables: categories, cash flow, net worth, budgets and rates.

use super::*;

impl Out {
    pub fn categories(&self, list: &CategoryList) {
        if list.items.is_empty() {
            self.line("No movements yet.");
            return;
        }
        let rows = list
            .items
            .iter()
            .flat_map(|c| {
                let name = c.name.clone().unwrap_or_else(|| "(none)".into());
                c.totals.iter().enumerate().map(move |(i, t)| {
                    vec![
                        Self::cell(if i == 0 { name.clone() } else { String::new() }),
                        Self::cell(if i == 0 {
                            c.count.to_string()
                        } else {
                            String::new()
                        }),
                        self.total(t.amount),
                    ]
                })
            })
            .collect();
        self.table(
            &[
                ("CATEGORY", Align::Left),
                ("MOVEMENTS", Align::Right),
                ("SUM", Align::Right),
            ],
            rows,
        );
    }

    pub fn cash_flow(&self, r: &CashFlowReport) {
        let rows = r
            .periods
            .iter()
            .flat_map(|p| {
                let label = format!("{}..{}", p.start, p.end);
                let flows: Vec<_> = match &p.converted {
                    Some(c) => vec![*c],
                    None => p.totals.clone(),
                };
                let missing = p
                    .missing
                    .as_ref()
                    .filter(|m| !m.is_empty())
                    .map(|m| {
                        let codes: Vec<&str> = m.iter().map(|c| c.code()).collect();
                        format!("no rate: {}", codes.join(", "))
                    })
                    .unwrap_or_default();
                flows.into_iter().enumerate().map(move |(i, f)| {
                    vec![
                        Self::cell(if i == 0 { label.clone() } else { String::new() }),
                        self.total(f.income),
                        self.total(f.expense),
                        self.total(f.net),
                        Self::cell(if i == 0 {
                            missing.clone()
                        } else {
                            String::new()
                        }),
                    ]
                })
            })
            .collect();
        self.table(
            &[
                ("PERIOD", Align::Left),
                ("INCOME", Align::Right),
                ("EXPENSE", Align::Right),
                ("NET", Align::Right),
                ("", Align::Left),
            ],
            rows,
        );
    }

    pub fn net_worth_report(&self, r: &NetWorthReport) {
        let rows = r
            .points
            .iter()
            .map(|p| {
                let amount = match p.amount {
                    Some(a) => self.total(a),
                    None => {
                        let parts: Vec<String> = p
                            .totals
                            .iter()
                            .map(|t| format!("{} {}", t.amount, t.currency))
                            .collect();
                        Self::cell(parts.join("  "))
                    }
                };
                let codes: Vec<&str> = p.missing.iter().map(|c| c.code()).collect();
                let missing = if codes.is_empty() {
                    String::new()
                } else {
                    format!("no rate: {}", codes.join(", "))
                };
                vec![Self::cell(p.date.to_string()), amount, Self::cell(missing)]
            })
            .collect();
        self.table(
            &[
                ("DATE", Align::Left),
                ("NET WORTH", Align::Right),
                ("", Align::Left),
            ],
            rows,
        );
    }

    pub fn budgets(&self, list: &BudgetList) {
        if list.items.is_empty() {
            self.line(
                "No budgets (set one with `finance budget set CATEGORY AMOUNT --currency EUR`).",
            );
            return;
        }
        self.line(&format!("Budgets for {}\n", list.month));
        let rows = list
            .items
            .iter()
            .map(|b| {
                let over = b.remaining.minor() < 0;
                vec![
                    Self::cell(&b.category),
                    self.amount(b.amount),
                    self.total(b.spent),
                    self.total(b.remaining),
                    Self::cell(if over { "OVER" } else { "" }),
                ]
            })
            .collect();
        self.table(
            &[
                ("CATEGORY", Align::Left),
                ("BUDGET", Align::Right),
                ("SPENT", Align::Right),
                ("REMAINING", Align::Right),
                ("", Align::Left),
            ],
            rows,
        );
    }

    pub fn rates(&self, rates: &[ExchangeRate]) {
        if rates.is_empty() {
            self.line("No rates.");
            return;
        }
        let rows = rates
            .iter()
            .map(|r| {
                vec![
                    Self::cell(r.date.to_string()),
                    Self::cell(format!("{}/{}", r.base, r.quote)),
                    Self::cell(r.rate.to_string()),
                ]
            })
            .collect();
        self.table(
            &[
                ("DATE", Align::Left),
                ("PAIR", Align::Left),
                ("RATE", Align::Right),
            ],
            rows,
        );
    }
}
