//! Monthly budgets: a limit per category and currency, and what was spent against it.

use time::Date;

use super::currency::Currency;
use super::entities::parse_date;
use super::error::{ValidationError, Validator, text};
use super::money::{Money, MoneySum};
use super::report::month_end;

/// The query string of `GET /budgets`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BudgetQueryInput {
    /// `YYYY-MM`; this month when absent.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::month))]
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
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::positive_amount))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::currency))]
    pub currency: String,
}

/// A monthly limit on the expenses of a category, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::BudgetIn")]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::BudgetStatusIn")]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetList {
    /// The month, `YYYY-MM`.
    pub month: String,
    pub items: Vec<BudgetStatus>,
}
