//! Reports: where money went (cash flow, categories), what was owned over time (net
//! worth), and monthly budgets. Periods follow the calendar in UTC; ISO weeks start on
//! Monday; a period with nothing in it is present, as zero.

use time::{Date, Duration, Month};

use super::category::CategoryTotal;
use super::currency::Currency;
use super::entities::{parse_date, serialize_date};
use super::error::{ValidationError, Validator};
use super::money::MoneySum;

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
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ReportQueryInput {
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub from: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub to: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::step))]
    pub step: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::currency))]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::NetWorthReportIn")]
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
    use crate::domain::*;
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
