//! Reconciling an account with a bank statement: its balance at the end of a day matches
//! the statement's closing balance, and what is dated on or before that day is locked.

use time::{Date, OffsetDateTime};

use super::currency::Currency;
use super::entities::{AccountId, ReconciliationId, UserId};
use super::error::{ValidationError, Validator};
use super::fields::parse_date;
use super::money::Money;

/// The body of `POST /accounts/{id}/reconciliations`: a statement's closing balance.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReconciliationInput {
    /// The statement's last day; not after today.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::date))]
    pub date: String,
    /// The statement's closing balance, in the account's currency.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::amount))]
    pub balance: String,
}

/// A statement to reconcile with, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    pub date: Date,
    pub balance: Money,
}

impl Statement {
    /// Reads the input in the account's `currency`; a date after `today` is refused (a
    /// statement of a day not over would lock the movements still to come that day).
    pub fn parse(
        input: &ReconciliationInput,
        currency: Currency,
        today: Date,
    ) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let date = v.check(parse_date("date", input.date.trim()).and_then(|d| {
            if d > today {
                Err(ValidationError::new("date", "must not be after today"))
            } else {
                Ok(d)
            }
        }));
        let balance = v.check(
            Money::parse(input.balance.trim(), currency).map_err(|e| e.for_field("balance")),
        );
        v.finish(|| {
            Some(Self {
                date: date?,
                balance: balance?,
            })
        })
    }
}

/// A reconciliation: on `date` the account's balance was `balance`, and `locked`
/// movements (dated after the reconciliation before it) became reconciled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "super::wire::ReconciliationIn")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    pub id: ReconciliationId,
    #[serde(skip)]
    pub account_id: AccountId,
    #[serde(serialize_with = "super::fields::serialize_date")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::date))]
    pub date: Date,
    /// The statement's closing balance, equal to the account's then.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::amount))]
    pub balance: Money,
    /// The account's currency.
    pub currency: Currency,
    /// How many movements it locked.
    pub locked: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(skip)]
    pub created_by: UserId,
}

/// An account's reconciliations, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReconciliationList {
    pub items: Vec<Reconciliation>,
}

/// What reconciling found: a match (recorded) or the ledger's balance that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconciled {
    Recorded(Reconciliation),
    /// The ledger's balance at the end of the statement's day, which differs from it.
    Mismatch {
        ledger: Money,
    },
}

/// The query of `GET /accounts/{id}/balance`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct BalanceQueryInput {
    /// The day whose end the balance is of; today when absent.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub on: Option<String>,
}

/// An account's balance at the end of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "super::wire::DayBalanceIn")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayBalance {
    #[serde(serialize_with = "super::fields::serialize_date")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::date))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::amount))]
    pub balance: Money,
    /// The account's currency.
    pub currency: Currency,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_statement_is_a_past_day_and_an_amount_in_the_currency() {
        let eur = Currency::parse("EUR").expect("EUR");
        let today = date!(2026 - 12 - 06);
        let input = |d: &str, b: &str| ReconciliationInput {
            date: d.into(),
            balance: b.into(),
        };
        let s = Statement::parse(&input("2026-11-30", "-12.50"), eur, today).expect("valid");
        assert_eq!((s.date, s.balance.minor()), (date!(2026 - 11 - 30), -1250));
        assert!(Statement::parse(&input("2026-12-06", "0"), eur, today).is_ok());
        let e = Statement::parse(&input("2026-12-07", "1.001"), eur, today).expect_err("bad");
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["date", "balance"]);
    }
}
