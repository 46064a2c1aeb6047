//! What a user owns, summed per currency.

use std::collections::BTreeMap;

use super::{Account, Currency, MoneySum, User};

/// What a user owns: their accounts with balances and one total per currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub user: User,
    pub accounts: Vec<Account>,
    pub totals: Vec<Total>,
}

/// The sum of the balances of all accounts in one currency, exact past `i64`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Total {
    pub currency: Currency,
    pub balance: MoneySum,
}

/// Sums balances per currency, ordered by currency code. Sums are `i128`, so no set of
/// `i64` balances can make a total fail.
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
            id: AccountId::random(),
            owner_id: owner,
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
}
