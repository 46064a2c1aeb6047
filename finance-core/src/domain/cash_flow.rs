//! Where money went: income, expense and net per period, per currency and category,
//! converted into one currency when asked.

use std::collections::BTreeMap;

use time::Date;

use super::conversion::RateBook;
use super::currency::Currency;
use super::entities::serialize_date;
use super::money::MoneySum;
use super::report::{ReportQuery, ReportQueryInput, Step, periods};

/// What one day brought in and took out, in one currency and category: the database's
/// aggregate, which the reports group into periods. Expense is a positive sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayFlow {
    pub day: Date,
    pub currency: Currency,
    pub category: Option<String>,
    pub income: i128,
    pub expense: i128,
}

/// Income, expense (positive) and net of one currency, or converted into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::FlowIn")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flow {
    pub currency: Currency,
    pub income: MoneySum,
    pub expense: MoneySum,
    pub net: MoneySum,
}

impl Flow {
    fn new(currency: Currency, income: i128, expense: i128) -> Self {
        Self {
            currency,
            income: MoneySum::zero(currency).plus_minor(income),
            expense: MoneySum::zero(currency).plus_minor(expense),
            net: MoneySum::zero(currency).plus_minor(income.saturating_sub(expense)),
        }
    }
}

/// One category's flows in a period; `name` is null for movements without a category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryFlow {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    /// Per currency.
    pub totals: Vec<Flow>,
    /// Converted into the report's currency (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<Flow>,
}

/// One period of a cash-flow report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashFlowPeriod {
    #[serde(
        serialize_with = "serialize_date",
        deserialize_with = "crate::domain::fields::deserialize_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    #[serde(
        serialize_with = "serialize_date",
        deserialize_with = "crate::domain::fields::deserialize_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub end: Date,
    /// Per currency, every currency of the report in every period (zero when quiet).
    pub totals: Vec<Flow>,
    /// Converted into the report's currency at the rates of the period's last day
    /// (absent without a currency); see `missing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<Flow>,
    /// Currencies left out of `converted` for want of a rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<Currency>>,
    /// Per category, the uncategorised as `name: null`; only categories with movements
    /// in the period.
    pub categories: Vec<CategoryFlow>,
}

/// Income and expense per period, per currency and per category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashFlowReport {
    #[serde(
        serialize_with = "serialize_date",
        deserialize_with = "crate::domain::fields::deserialize_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    #[serde(
        serialize_with = "serialize_date",
        deserialize_with = "crate::domain::fields::deserialize_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: Date,
    pub step: Step,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub currency: Option<Currency>,
    pub periods: Vec<CashFlowPeriod>,
}

/// Groups the day aggregates into the periods of `query`, converting each period's sums
/// (per currency, and per category and currency) with `rates(period end)`, each sum
/// rounded once.
pub fn cash_flow(
    query: &ReportQuery,
    days: &[DayFlow],
    mut rates: impl FnMut(Date) -> Option<RateBook>,
) -> CashFlowReport {
    let spans = periods(query.from, query.to, query.step);
    let currencies: std::collections::BTreeSet<Currency> =
        days.iter().map(|d| d.currency).collect();
    let periods = spans
        .iter()
        .map(|p| {
            let mut per_currency: BTreeMap<Currency, (i128, i128)> =
                currencies.iter().map(|c| (*c, (0, 0))).collect();
            let mut per_category: BTreeMap<(Option<String>, Currency), (i128, i128)> =
                BTreeMap::new();
            for d in days.iter().filter(|d| d.day >= p.start && d.day <= p.end) {
                let t = per_currency.entry(d.currency).or_default();
                t.0 = t.0.saturating_add(d.income);
                t.1 = t.1.saturating_add(d.expense);
                let c = per_category
                    .entry((d.category.clone(), d.currency))
                    .or_default();
                c.0 = c.0.saturating_add(d.income);
                c.1 = c.1.saturating_add(d.expense);
            }
            let book = query.currency.and_then(|_| rates(p.end));
            let convert = |sums: &mut dyn Iterator<Item = (Currency, i128, i128)>,
                           missing: &mut Vec<Currency>|
             -> Option<Flow> {
                let target = query.currency?;
                let (mut inc, mut exp) = (0i128, 0i128);
                for (c, i, e) in sums {
                    let factor = book.as_ref().and_then(|b| b.factor(c, target));
                    match factor.and_then(|f| {
                        Some((
                            f.convert_minor(i, c, target)?,
                            f.convert_minor(e, c, target)?,
                        ))
                    }) {
                        Some((i, e)) => {
                            inc = inc.saturating_add(i);
                            exp = exp.saturating_add(e);
                        }
                        None if i != 0 || e != 0 => missing.push(c),
                        None => {}
                    }
                }
                Some(Flow::new(target, inc, exp))
            };
            let mut missing = Vec::new();
            let converted = convert(
                &mut per_currency.iter().map(|(c, (i, e))| (*c, *i, *e)),
                &mut missing,
            );
            let mut categories: Vec<CategoryFlow> = Vec::new();
            let mut names: Vec<Option<String>> =
                per_category.keys().map(|(n, _)| n.clone()).collect();
            names.dedup();
            // Named categories by name, the uncategorised last.
            names.sort_by(|a, b| match (a, b) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, _) => std::cmp::Ordering::Greater,
                (_, None) => std::cmp::Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            });
            names.dedup();
            for name in names {
                let sums: Vec<(Currency, i128, i128)> = per_category
                    .iter()
                    .filter(|((n, _), _)| *n == name)
                    .map(|((_, c), (i, e))| (*c, *i, *e))
                    .collect();
                let mut ignored = Vec::new();
                categories.push(CategoryFlow {
                    totals: sums.iter().map(|(c, i, e)| Flow::new(*c, *i, *e)).collect(),
                    converted: convert(&mut sums.iter().copied(), &mut ignored),
                    name,
                });
            }
            missing.sort();
            missing.dedup();
            CashFlowPeriod {
                start: p.start,
                end: p.end,
                totals: per_currency
                    .iter()
                    .map(|(c, (i, e))| Flow::new(*c, *i, *e))
                    .collect(),
                missing: query.currency.map(|_| missing),
                converted,
                categories,
            }
        })
        .collect();
    CashFlowReport {
        from: query.from,
        to: query.to,
        step: query.step,
        currency: query.currency,
        periods,
    }
}

/// The query string of the cash-flow report: a report's, and tags every movement counted
/// must carry (`tag`, repeatable).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CashFlowQueryInput {
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub from: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub to: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::step))]
    pub step: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::currency))]
    pub currency: Option<String>,
    /// A tag the movements counted carry; repeat it for several (all must match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = super::schemas::tag_list, style = Form, explode)
    )]
    pub tag: Vec<String>,
}

impl CashFlowQueryInput {
    /// The report's part of the query.
    pub fn report(&self) -> ReportQueryInput {
        ReportQueryInput {
            from: self.from.clone(),
            to: self.to.clone(),
            step: self.step.clone(),
            currency: self.currency.clone(),
        }
    }
}

impl From<ReportQueryInput> for CashFlowQueryInput {
    fn from(r: ReportQueryInput) -> Self {
        Self {
            from: r.from,
            to: r.to,
            step: r.step,
            currency: r.currency,
            tag: Vec::new(),
        }
    }
}
