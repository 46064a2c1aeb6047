//! Reports: where money went (cash flow, categories), what was owned over time (net
//! worth), and monthly budgets. Periods follow the calendar in UTC; ISO weeks start on
//! Monday; a period with nothing in it is present, as zero.

use std::collections::BTreeMap;

use time::{Date, Duration, Month};

use super::conversion::RateBook;
use super::currency::Currency;
use super::entities::{parse_date, serialize_date};
use super::error::{ValidationError, Validator, text};
use super::money::{Money, MoneySum};

/// The most periods one report may have (a daily report of almost three years).
pub const MAX_PERIODS: usize = 1_000;

/// How long a report's periods are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Step {
    Day,
    Week,
    Month,
}

/// One period of a report: both days inclusive, clipped to the report's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

/// The first day of the month of `d`.
pub fn month_start(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

/// The last day of the month of `d`.
pub fn month_end(d: Date) -> Date {
    let next = match d.month() {
        Month::December => Date::from_calendar_date(d.year() + 1, Month::January, 1),
        m => Date::from_calendar_date(d.year(), m.next(), 1),
    };
    next.map(|n| n - Duration::days(1)).unwrap_or(d)
}

impl Step {
    fn parse(raw: Option<&str>) -> Result<Self, ValidationError> {
        match raw.map(str::trim) {
            None | Some("month") => Ok(Step::Month),
            Some("week") => Ok(Step::Week),
            Some("day") => Ok(Step::Day),
            Some(other) => Err(ValidationError::new(
                "step",
                format!("{other:?} is not one of month, week, day"),
            )),
        }
    }

    /// The first day of the period holding `d`.
    fn start_of(self, d: Date) -> Date {
        match self {
            Step::Day => d,
            Step::Week => d - Duration::days(i64::from(d.weekday().number_days_from_monday())),
            Step::Month => month_start(d),
        }
    }

    /// The last day of the period starting on `start`.
    fn end_of(self, start: Date) -> Date {
        match self {
            Step::Day => start,
            Step::Week => start + Duration::days(6),
            Step::Month => month_end(start),
        }
    }
}

/// The periods from `from` to `to` (both inclusive), calendar-aligned and clipped.
pub fn periods(from: Date, to: Date, step: Step) -> Vec<Period> {
    let mut out = Vec::new();
    let mut start = step.start_of(from);
    while start <= to && out.len() < MAX_PERIODS {
        let end = step.end_of(start);
        out.push(Period {
            start: start.max(from),
            end: end.min(to),
        });
        match end.next_day() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// The query string of a report, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQueryInput {
    pub from: Option<String>,
    pub to: Option<String>,
    pub step: Option<String>,
    pub currency: Option<String>,
}

/// A validated report query. Defaults: `to` today, `from` the first day of the eleventh
/// month before `to`'s (twelve calendar months), `step` month, `currency` the base
/// currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportQuery {
    pub from: Date,
    pub to: Date,
    pub step: Step,
    pub currency: Option<Currency>,
}

impl ReportQuery {
    pub fn parse(input: &ReportQueryInput, today: Date) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let to = v.check(input.to.as_deref().map(|d| parse_date("to", d)).transpose());
        let from = v.check(
            input
                .from
                .as_deref()
                .map(|d| parse_date("from", d))
                .transpose(),
        );
        let step = v.check(Step::parse(input.step.as_deref()));
        let currency = v.check(
            input
                .currency
                .as_deref()
                .map(|c| Currency::parse(c.trim()).map_err(|e| e.for_field("currency")))
                .transpose(),
        );
        let to = to.map(|t| t.unwrap_or(today));
        let from = match (from, to) {
            (Some(Some(f)), _) => Some(f),
            (Some(None), Some(t)) => Some(twelve_months_before(t)),
            _ => None,
        };
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            v.check::<()>(Err(ValidationError::new("from", "must not be after `to`")));
        }
        if let (Some(f), Some(t), Some(s)) = (from, to, step)
            && f <= t
            && periods(f, t, s).last().is_some_and(|p| p.end < t)
        {
            v.check::<()>(Err(ValidationError::new(
                "step",
                format!("more than {MAX_PERIODS} periods; take a longer step or a shorter range"),
            )));
        }
        v.finish(|| {
            Some(Self {
                from: from?,
                to: to?,
                step: step?,
                currency: currency?,
            })
        })
    }
}

fn twelve_months_before(to: Date) -> Date {
    let start = month_start(to);
    let months = i32::from(u8::from(start.month())) - 1 + start.year() * 12 - 11;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    Month::try_from(month as u8)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, 1).ok())
        .unwrap_or(start)
}

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

/// Each account's balance and, per account and day after a date, the sum of what moved
/// it: read at one moment, so that a balance and its changes always agree (on a replica
/// a moment behind too), which the net-worth report walks back from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BalanceHistory {
    /// Account and its balance in minor units.
    pub balances: Vec<(super::entities::AccountId, i64)>,
    /// Account, day and the sum of that day's movements in minor units.
    pub changes: Vec<(super::entities::AccountId, Date, i128)>,
}

/// Income, expense (positive) and net of one currency, or converted into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryFlow {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    /// Per currency.
    pub totals: Vec<Flow>,
    /// Converted into the report's currency (absent without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted: Option<Flow>,
}

/// One period of a cash-flow report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashFlowPeriod {
    #[serde(serialize_with = "serialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    #[serde(serialize_with = "serialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub end: Date,
    /// Per currency, every currency of the report in every period (zero when quiet).
    pub totals: Vec<Flow>,
    /// Converted into the report's currency at the rates of the period's last day
    /// (absent without a currency); see `missing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted: Option<Flow>,
    /// Currencies left out of `converted` for want of a rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<Currency>>,
    /// Per category, the uncategorised as `name: null`; only categories with movements
    /// in the period.
    pub categories: Vec<CategoryFlow>,
}

/// Income and expense per period, per currency and per category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CashFlowReport {
    #[serde(serialize_with = "serialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: Date,
    #[serde(serialize_with = "serialize_date")]
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

/// One category over all time: how many movements, and their sum per currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategorySummary {
    /// `null` for movements without a category.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    pub count: u64,
    pub totals: Vec<CategoryTotal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryTotal {
    pub currency: Currency,
    pub amount: MoneySum,
}

/// One row of the database's category aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySum {
    pub name: Option<String>,
    pub currency: Currency,
    pub count: u64,
    pub sum: i128,
}

/// The owner's categories, from the database's per (category, currency) rows: by name,
/// the uncategorised last.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryList {
    pub items: Vec<CategorySummary>,
}

pub fn categories(rows: Vec<CategorySum>) -> CategoryList {
    let mut grouped: BTreeMap<(bool, Option<String>), CategorySummary> = BTreeMap::new();
    for CategorySum {
        name,
        currency,
        count,
        sum,
    } in rows
    {
        let item = grouped
            .entry((name.is_none(), name.clone()))
            .or_insert_with(|| CategorySummary {
                name,
                count: 0,
                totals: Vec::new(),
            });
        item.count += count;
        item.totals.push(CategoryTotal {
            currency,
            amount: MoneySum::zero(currency).plus_minor(sum),
        });
    }
    let mut items: Vec<CategorySummary> = grouped.into_values().collect();
    for item in &mut items {
        item.totals.sort_by_key(|t| t.currency);
    }
    CategoryList { items }
}

/// The query string of `GET /budgets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetQueryInput {
    /// `YYYY-MM`; this month when absent.
    pub month: Option<String>,
}

/// Reads `YYYY-MM` as the month's first and last days.
pub fn parse_month(raw: &str) -> Result<(Date, Date), ValidationError> {
    let first = parse_date("month", &format!("{}-01", raw.trim()))
        .ok()
        .filter(|_| raw.trim().len() == 7)
        .ok_or_else(|| {
            ValidationError::new("month", format!("{raw:?} is not a month written YYYY-MM"))
        })?;
    Ok((first, month_end(first)))
}

/// The body of `PUT /budgets/{category}`: a monthly limit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetInput {
    /// Positive, in `currency`.
    pub amount: String,
    pub currency: String,
}

/// A monthly limit on the expenses of a category, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Budget {
    pub category: String,
    pub currency: Currency,
    pub amount: Money,
}

impl Budget {
    pub fn parse(category: &str, input: &BudgetInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let category = v.check(text("category", category, 50));
        let currency =
            v.check(Currency::parse(input.currency.trim()).map_err(|e| e.for_field("currency")));
        let amount = currency.and_then(|c| {
            v.check(Money::parse(input.amount.trim(), c).and_then(|m| {
                if m.minor() > 0 {
                    Ok(m)
                } else {
                    Err(ValidationError::new("amount", "must be positive"))
                }
            }))
        });
        v.finish(|| {
            Some(Self {
                category: category?,
                currency: currency?,
                amount: amount?,
            })
        })
    }
}

/// A budget with what was spent against it in one month.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetStatus {
    pub category: String,
    pub currency: Currency,
    pub amount: Money,
    /// The category's expenses in this currency in the month, as a positive sum.
    pub spent: MoneySum,
    /// `amount - spent`; negative when over budget.
    pub remaining: MoneySum,
}

impl BudgetStatus {
    pub fn new(budget: Budget, spent: i128) -> Self {
        let c = budget.currency;
        Self {
            spent: MoneySum::zero(c).plus_minor(spent),
            remaining: MoneySum::zero(c).plus_minor(i128::from(budget.amount.minor()) - spent),
            category: budget.category,
            currency: c,
            amount: budget.amount,
        }
    }
}

/// The budgets of a month.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetList {
    /// The month, `YYYY-MM`.
    pub month: String,
    pub items: Vec<BudgetStatus>,
}

/// A point of a net-worth report: what was owned at the end of `date`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetWorthPoint {
    #[serde(serialize_with = "serialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Every balance converted into the report's currency at the rates of `date`, each
    /// rounded once; `null` without a currency. See `missing`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub amount: Option<MoneySum>,
    /// Currencies left out of `amount` for want of a rate on `date`.
    pub missing: Vec<Currency>,
    /// Per currency, unconverted.
    pub totals: Vec<CategoryTotal>,
}

/// What was owned at the end of each period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetWorthReport {
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub currency: Option<Currency>,
    pub step: Step,
    pub points: Vec<NetWorthPoint>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_follow_the_calendar_and_are_clipped() {
        let weeks = periods(date!(2026 - 11 - 25), date!(2026 - 12 - 08), Step::Week);
        let shown: Vec<String> = weeks
            .iter()
            .map(|p| format!("{}..{}", p.start, p.end))
            .collect();
        // 2026-11-25 is a Wednesday: its ISO week began on Monday the 23rd.
        assert_eq!(
            shown,
            [
                "2026-11-25..2026-11-29",
                "2026-11-30..2026-12-06",
                "2026-12-07..2026-12-08"
            ]
        );
        let months = periods(date!(2024 - 01 - 31), date!(2024 - 03 - 01), Step::Month);
        let shown: Vec<String> = months
            .iter()
            .map(|p| format!("{}..{}", p.start, p.end))
            .collect();
        assert_eq!(
            shown,
            [
                "2024-01-31..2024-01-31",
                "2024-02-01..2024-02-29",
                "2024-03-01..2024-03-01"
            ]
        );
        assert_eq!(
            periods(date!(2026 - 12 - 31), date!(2027 - 01 - 01), Step::Day).len(),
            2
        );
    }

    #[test]
    fn queries_default_to_twelve_months_and_check_their_parameters() {
        let q = ReportQuery::parse(&ReportQueryInput::default(), date!(2026 - 03 - 15))
            .expect("defaults");
        assert_eq!(
            (q.from, q.to, q.step),
            (date!(2025 - 04 - 01), date!(2026 - 03 - 15), Step::Month)
        );
        assert_eq!(periods(q.from, q.to, q.step).len(), 12);
        let bad = ReportQuery::parse(
            &ReportQueryInput {
                from: Some("2026-02-01".into()),
                to: Some("2026-01-01".into()),
                step: Some("year".into()),
                currency: Some("XXX".into()),
            },
            date!(2026 - 03 - 15),
        )
        .expect_err("bad");
        let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["step", "currency", "from"]);
        let long = ReportQuery::parse(
            &ReportQueryInput {
                from: Some("2000-01-01".into()),
                step: Some("day".into()),
                ..Default::default()
            },
            date!(2026 - 03 - 15),
        )
        .expect_err("too many days");
        assert_eq!(long.errors[0].field, "step");
        assert_eq!(
            parse_month("2024-02"),
            Ok((date!(2024 - 02 - 01), date!(2024 - 02 - 29)))
        );
        assert!(parse_month("2024-2").is_err() && parse_month("2024-13").is_err());
    }

    #[test]
    fn budgets_need_a_positive_amount_in_their_currency() {
        let ok = Budget::parse(
            " food ",
            &BudgetInput {
                amount: "300".into(),
                currency: "EUR".into(),
            },
        )
        .expect("ok");
        assert_eq!(
            (ok.category.as_str(), ok.amount.to_string()),
            ("food", "300.00".to_string())
        );
        let bad = Budget::parse(
            "",
            &BudgetInput {
                amount: "-1".into(),
                currency: "EUR".into(),
            },
        )
        .expect_err("bad");
        let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["category", "amount"]);
        let status = BudgetStatus::new(ok, 35_000);
        assert_eq!(
            (status.spent.to_string(), status.remaining.to_string()),
            ("350.00".into(), "-50.00".into())
        );
    }

    #[test]
    fn cash_flow_keeps_quiet_periods_and_the_uncategorised() {
        let eur = Currency::parse("EUR").expect("EUR");
        let day = |d: Date, category: Option<&str>, income: i128, expense: i128| DayFlow {
            day: d,
            currency: eur,
            category: category.map(Into::into),
            income,
            expense,
        };
        let q = ReportQuery {
            from: date!(2026 - 01 - 01),
            to: date!(2026 - 03 - 31),
            step: Step::Month,
            currency: None,
        };
        let days = [
            day(date!(2026 - 01 - 05), Some("food"), 0, 1_250),
            day(date!(2026 - 01 - 31), None, 100_000, 0),
            day(date!(2026 - 03 - 01), Some("food"), 0, 500),
        ];
        let r = cash_flow(&q, &days, |_| None);
        assert_eq!(r.periods.len(), 3);
        let jan = &r.periods[0];
        assert_eq!(
            (
                jan.totals[0].income.to_string(),
                jan.totals[0].expense.to_string(),
                jan.totals[0].net.to_string()
            ),
            ("1000.00".into(), "12.50".into(), "987.50".into())
        );
        let names: Vec<Option<&str>> = jan.categories.iter().map(|c| c.name.as_deref()).collect();
        assert_eq!(names, [Some("food"), None]);
        // February had nothing: present, as zero, in every currency of the report.
        assert_eq!(r.periods[1].totals[0].net.to_string(), "0.00");
        assert!(r.periods[1].categories.is_empty());
        assert!(r.periods[1].converted.is_none() && r.periods[1].missing.is_none());
    }
}
