use super::{App, Error};
use crate::domain::{Profile, UserId, totals};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::User;
    use crate::usecases::testing::{Mocks, account};

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
}
