//! What a user owns, summed per currency.

use std::collections::BTreeMap;

use time::Date;

use super::entities::{parse_date, present};
use super::{Account, Currency, MoneySum, NetWorth, User, ValidationError, Validator};

/// What a user owns: their accounts with balances and one total per currency, and with a
/// currency to convert to, everything in that one currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub user: User,
    pub accounts: Vec<Account>,
    pub totals: Vec<Total>,
    /// Absent when there is no currency to convert to (none asked, no base currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_worth: Option<NetWorth>,
}

/// The query string of `GET /me`, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ProfileQueryInput {
    /// The currency of the net worth; the user's base currency when absent.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::currency))]
    pub currency: Option<String>,
    /// The day whose rates convert (today when absent); balances are always today's.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub as_of: Option<String>,
}

/// A validated [`ProfileQueryInput`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileQuery {
    pub currency: Option<Currency>,
    pub as_of: Option<Date>,
}

impl ProfileQuery {
    pub fn parse(input: &ProfileQueryInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let currency = v.check(
            input
                .currency
                .as_deref()
                .map(|c| Currency::parse(c.trim()).map_err(|e| e.for_field("currency")))
                .transpose(),
        );
        let as_of = v.check(
            input
                .as_of
                .as_deref()
                .map(|d| parse_date("as_of", d))
                .transpose(),
        );
        v.finish(|| {
            Some(Self {
                currency: currency?,
                as_of: as_of?,
            })
        })
    }
}

/// A change to the profile: `base_currency` set to a code, or cleared with `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfilePatch {
    /// Absent: unchanged; `null`: cleared.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_currency))]
    pub base_currency: Option<Option<String>>,
}

impl ProfilePatch {
    /// The base currency to store: `None` to leave it, `Some(None)` to clear it.
    pub fn base_currency(&self) -> Result<Option<Option<Currency>>, ValidationError> {
        self.base_currency
            .as_ref()
            .map(|c| {
                c.as_deref()
                    .map(|c| Currency::parse(c.trim()).map_err(|e| e.for_field("base_currency")))
                    .transpose()
            })
            .transpose()
    }
}

/// The sum of the balances of all accounts in one currency, exact past `i64`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::TotalIn")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Total {
    pub currency: Currency,
    pub balance: MoneySum,
}

/// Sums balances per currency, ordered by currency code. Sums are `i128`, so no set of
/// `i64` balances can make a total fail.
/// The currency a net worth is shown in when none is asked for and no base currency is set:
/// the one most of the open accounts are in (archived ones count when all are archived),
/// the earlier code on a tie. `None` without accounts.
pub fn usual_currency(accounts: &[Account]) -> Option<Currency> {
    let open: Vec<&Account> = accounts.iter().filter(|a| !a.archived).collect();
    let counted: Vec<&Account> = if open.is_empty() {
        accounts.iter().collect()
    } else {
        open
    };
    let mut counts: BTreeMap<Currency, usize> = BTreeMap::new();
    for a in counted {
        *counts.entry(a.currency).or_default() += 1;
    }
    // Ascending codes, so `max_by_key` (which keeps the last of equals) is reversed first.
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| c)
}

pub fn totals(accounts: &[Account]) -> Vec<Total> {
    let mut sums: BTreeMap<Currency, MoneySum> = BTreeMap::new();
    for a in accounts {
        let sum = sums
            .entry(a.currency)
            .or_insert_with(|| MoneySum::zero(a.currency));
        // The entry is keyed by the account's currency, so the currencies always match.
        if let Ok(next) = sum.plus(a.balance) {
            *sum = next;
        }
    }
    sums.into_iter()
        .map(|(currency, balance)| Total { currency, balance })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AccountId, Money, UserId};

    fn account(owner: UserId, name: &str, code: &str, minor: i64) -> Account {
        let currency = Currency::parse(code).expect("known currency");
        Account {
            reconciled_on: None,
            id: AccountId::random(),
            owner_id: owner,
            owner_email: None,
            role: crate::domain::Role::Owner,
            name: name.into(),
            currency,
            balance: Money::from_minor(minor, currency),
            archived: false,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn totals_past_i64_are_exact_not_an_error() {
        let owner = UserId::random();
        let accounts = vec![
            account(owner, "A", "EUR", i64::MAX),
            account(owner, "B", "EUR", 1),
        ];
        let t = totals(&accounts);
        assert_eq!(t[0].balance.to_string(), "92233720368547758.08");
        assert_eq!(t[0].balance.minor(), i128::from(i64::MAX) + 1);
    }

    #[test]
    fn the_usual_currency_is_that_of_most_open_accounts() {
        let me = UserId::random();
        let mut accounts = vec![
            account(me, "a", "USD", 1),
            account(me, "b", "EUR", 1),
            account(me, "c", "EUR", 1),
        ];
        assert_eq!(
            usual_currency(&accounts).map(|c| c.to_string()).as_deref(),
            Some("EUR")
        );
        // Archived accounts do not count while any is open; a tie goes to the earlier code.
        accounts[2].archived = true;
        assert_eq!(
            usual_currency(&accounts).map(|c| c.to_string()).as_deref(),
            Some("EUR")
        );
        accounts[1].archived = true;
        assert_eq!(
            usual_currency(&accounts).map(|c| c.to_string()).as_deref(),
            Some("USD")
        );
        accounts[0].archived = true;
        assert_eq!(
            usual_currency(&accounts).map(|c| c.to_string()).as_deref(),
            Some("EUR")
        );
        assert_eq!(usual_currency(&[]), None);
    }
}
