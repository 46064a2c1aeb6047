//! The wire forms of the reports, categories and budgets, and their domain types.

use serde::Deserialize;

use finance_core::domain::*;
use finance_core::error::Error;

use super::{bad_answer, date_of, sum_of};

#[derive(Deserialize)]
pub(in crate::remote) struct FlowDto {
    currency: Currency,
    income: String,
    expense: String,
    net: String,
}

impl FlowDto {
    fn into_flow(self) -> Result<Flow, Error> {
        let c = self.currency;
        Ok(Flow {
            currency: c,
            income: sum_of(&self.income, c)?,
            expense: sum_of(&self.expense, c)?,
            net: sum_of(&self.net, c)?,
        })
    }
}

fn flows(list: Vec<FlowDto>) -> Result<Vec<Flow>, Error> {
    list.into_iter().map(FlowDto::into_flow).collect()
}

#[derive(Deserialize)]
pub(in crate::remote) struct CategoryFlowDto {
    name: Option<String>,
    totals: Vec<FlowDto>,
    #[serde(default)]
    converted: Option<FlowDto>,
}

#[derive(Deserialize)]
pub(in crate::remote) struct CashFlowPeriodDto {
    start: String,
    end: String,
    totals: Vec<FlowDto>,
    #[serde(default)]
    converted: Option<FlowDto>,
    #[serde(default)]
    missing: Option<Vec<Currency>>,
    categories: Vec<CategoryFlowDto>,
}

#[derive(Deserialize)]
pub(in crate::remote) struct CashFlowReportDto {
    from: String,
    to: String,
    step: Step,
    currency: Option<Currency>,
    periods: Vec<CashFlowPeriodDto>,
}

impl CashFlowReportDto {
    pub(in crate::remote) fn into_report(self) -> Result<CashFlowReport, Error> {
        Ok(CashFlowReport {
            from: date_of(&self.from)?,
            to: date_of(&self.to)?,
            step: self.step,
            currency: self.currency,
            periods: self
                .periods
                .into_iter()
                .map(|p| {
                    Ok(CashFlowPeriod {
                        start: date_of(&p.start)?,
                        end: date_of(&p.end)?,
                        totals: flows(p.totals)?,
                        converted: p.converted.map(FlowDto::into_flow).transpose()?,
                        missing: p.missing,
                        categories: p
                            .categories
                            .into_iter()
                            .map(|c| {
                                Ok(CategoryFlow {
                                    name: c.name,
                                    totals: flows(c.totals)?,
                                    converted: c.converted.map(FlowDto::into_flow).transpose()?,
                                })
                            })
                            .collect::<Result<_, Error>>()?,
                    })
                })
                .collect::<Result<_, Error>>()?,
        })
    }
}

#[derive(Deserialize)]
pub(in crate::remote) struct CategoryTotalDto {
    currency: Currency,
    amount: String,
}

impl CategoryTotalDto {
    fn into_total(self) -> Result<CategoryTotal, Error> {
        Ok(CategoryTotal {
            currency: self.currency,
            amount: sum_of(&self.amount, self.currency)?,
        })
    }
}

#[derive(Deserialize)]
pub(in crate::remote) struct CategorySummaryDto {
    name: Option<String>,
    count: u64,
    totals: Vec<CategoryTotalDto>,
}

#[derive(Deserialize)]
pub(in crate::remote) struct CategoryListDto {
    items: Vec<CategorySummaryDto>,
}

impl CategoryListDto {
    pub(in crate::remote) fn into_list(self) -> Result<CategoryList, Error> {
        Ok(CategoryList {
            items: self
                .items
                .into_iter()
                .map(|c| {
                    Ok(CategorySummary {
                        name: c.name,
                        count: c.count,
                        totals: c
                            .totals
                            .into_iter()
                            .map(CategoryTotalDto::into_total)
                            .collect::<Result<_, Error>>()?,
                    })
                })
                .collect::<Result<_, Error>>()?,
        })
    }
}

#[derive(Deserialize)]
pub(in crate::remote) struct NetWorthPointDto {
    date: String,
    amount: Option<String>,
    missing: Vec<Currency>,
    totals: Vec<CategoryTotalDto>,
}

#[derive(Deserialize)]
pub(in crate::remote) struct NetWorthReportDto {
    currency: Option<Currency>,
    step: Step,
    points: Vec<NetWorthPointDto>,
}

impl NetWorthReportDto {
    pub(in crate::remote) fn into_report(self) -> Result<NetWorthReport, Error> {
        let currency = self.currency;
        Ok(NetWorthReport {
            currency,
            step: self.step,
            points: self
                .points
                .into_iter()
                .map(|p| {
                    Ok(NetWorthPoint {
                        date: date_of(&p.date)?,
                        amount: match (p.amount, currency) {
                            (Some(a), Some(c)) => Some(sum_of(&a, c)?),
                            _ => None,
                        },
                        missing: p.missing,
                        totals: p
                            .totals
                            .into_iter()
                            .map(CategoryTotalDto::into_total)
                            .collect::<Result<_, Error>>()?,
                    })
                })
                .collect::<Result<_, Error>>()?,
        })
    }
}

#[derive(Deserialize)]
pub(in crate::remote) struct BudgetDto {
    category: String,
    currency: Currency,
    amount: String,
}

impl BudgetDto {
    pub(in crate::remote) fn into_budget(self) -> Result<Budget, Error> {
        Ok(Budget {
            category: self.category,
            currency: self.currency,
            amount: Money::parse(&self.amount, self.currency)
                .map_err(|e| bad_answer("amount", e))?,
        })
    }
}

#[derive(Deserialize)]
pub(in crate::remote) struct BudgetStatusDto {
    #[serde(flatten)]
    budget: BudgetDto,
    spent: String,
    remaining: String,
}

#[derive(Deserialize)]
pub(in crate::remote) struct BudgetListDto {
    month: String,
    items: Vec<BudgetStatusDto>,
}

impl BudgetListDto {
    pub(in crate::remote) fn into_list(self) -> Result<BudgetList, Error> {
        Ok(BudgetList {
            month: self.month,
            items: self
                .items
                .into_iter()
                .map(|b| {
                    let c = b.budget.currency;
                    Ok(BudgetStatus {
                        spent: sum_of(&b.spent, c)?,
                        remaining: sum_of(&b.remaining, c)?,
                        category: b.budget.category.clone(),
                        currency: c,
                        amount: b.budget.into_budget()?.amount,
                    })
                })
                .collect::<Result<_, Error>>()?,
        })
    }
}
