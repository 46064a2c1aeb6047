use std::collections::BTreeMap;

use super::{App, Error};
use crate::domain::{Account, Currency, MoneySum, User, UserId};

/// What a user owns: their accounts with balances and one total per currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Profile {
    pub user: User,
    pub accounts: Vec<Account>,
    pub totals: Vec<Total>,
}

/// The sum of the balances of all accounts in one currency, exact past `i64`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Total {
    pub currency: Currency,
    pub balance: MoneySum,
}

impl App {
    /// The profile of `user`. Totals are never converted between currencies: there is no
    /// exchange rate in the service, and a made-up one would misstate what people own.
    pub async fn get_profile(&self, user: UserId) -> Result<Profile, Error> {
        let profile_user = self.users.get_user(user).await?.ok_or(Error::NotFound)?;
        let accounts = self.accounts.list_accounts(user).await?;
        let totals = totals(&accounts);
        Ok(Profile {
            user: profile_user,
            accounts,
            totals,
        })
    }
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
    use crate::usecases::testing::Mocks;

    use crate::usecases::testing::account;

    #[tokio::test]
    async fn totals_per_currency() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        let user = User {
            id: owner,
            email: crate::domain::Email::parse("a@example.com").expect("email"),
            created_at: m.now,
        };
        m.users.expect_get_user().return_const(Ok(Some(user)));
        let accounts = vec![
            account(owner, "Bank", "EUR", 100_050),
            account(owner, "Cash", "EUR", -2_001),
            account(owner, "Tokyo", "JPY", 5_000),
        ];
        m.accounts.expect_list_accounts().return_const(Ok(accounts));
        let p = m.app().get_profile(owner).await.expect("profile");
        let shown: Vec<String> = p
            .totals
            .iter()
            .map(|t| format!("{} {}", t.currency, t.balance))
            .collect();
        assert_eq!(shown, ["EUR 980.49", "JPY 5000"]);
        assert_eq!(p.accounts.len(), 3);
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
