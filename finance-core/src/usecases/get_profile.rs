use super::{App, Error};
use crate::domain::{
    Profile, ProfileQuery, ProfileQueryInput, RateBook, UserId, net_worth, totals,
};

impl App {
    /// The profile of `user`: accounts, totals per currency, and, with a currency to
    /// convert to (`query.currency`, else the user's base currency), the net worth in it
    /// at the rates of `query.as_of` (today when absent). Balances are always today's;
    /// a currency without a usable rate is left out of the net worth and named in its
    /// `missing`, never converted at a made-up rate.
    pub async fn get_profile(
        &self,
        user: UserId,
        query: &ProfileQueryInput,
    ) -> Result<Profile, Error> {
        let query = ProfileQuery::parse(query)?;
        let profile_user = self.users.get_user(user).await?.ok_or(Error::NotFound)?;
        let (mut accounts, net_worth) = match query.currency.or(profile_user.base_currency) {
            Some(currency) => {
                let as_of = query.as_of.unwrap_or_else(|| self.clock.now().date());
                let (accounts, facts) = self.rates.accounts_and_rates_on(user, as_of).await?;
                let worth = net_worth(&accounts, &RateBook::new(facts), currency, as_of);
                (accounts, Some(worth))
            }
            None => (self.accounts.list_accounts(user).await?, None),
        };
        // The user's own accounts need no lookup of their owner.
        self.remember_author(&profile_user);
        self.with_owners(&mut accounts).await?;
        let totals = totals(&accounts);
        Ok(Profile {
            user: profile_user,
            accounts,
            totals,
            net_worth,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, Rate, RateFacts, User};
    use crate::usecases::testing::{Mocks, account};
    use time::macros::date;

    fn user(m: &Mocks, owner: UserId, base: Option<&str>) -> User {
        User {
            id: owner,
            email: crate::domain::Email::parse("a@example.com").expect("email"),
            created_at: m.now,
            base_currency: base.map(|c| Currency::parse(c).expect("currency")),
        }
    }

    #[tokio::test]
    async fn totals_per_currency_and_no_net_worth_without_a_currency() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        let u = user(&m, owner, None);
        m.users.expect_get_user().return_const(Ok(Some(u)));
        let accounts = vec![
            account(owner, "Bank", "EUR", 100_050),
            account(owner, "Cash", "EUR", -2_001),
            account(owner, "Tokyo", "JPY", 5_000),
        ];
        m.accounts.expect_list_accounts().return_const(Ok(accounts));
        m.rates.expect_accounts_and_rates_on().never();
        let p = m
            .app()
            .get_profile(owner, &ProfileQueryInput::default())
            .await
            .expect("profile");
        let shown: Vec<String> = p
            .totals
            .iter()
            .map(|t| format!("{} {}", t.currency, t.balance))
            .collect();
        assert_eq!(shown, ["EUR 980.49", "JPY 5000"]);
        assert_eq!(p.accounts.len(), 3);
        assert!(p.net_worth.is_none());
    }

    #[tokio::test]
    async fn converts_to_the_base_currency_at_todays_rates_or_to_the_asked_one() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        let u = user(&m, owner, Some("EUR"));
        m.users.expect_get_user().return_const(Ok(Some(u)));
        let accounts = vec![
            account(owner, "Bank", "EUR", 1_000),
            account(owner, "Tokyo", "JPY", 16_312),
            account(owner, "London", "GBP", 500),
        ];
        let eur = Currency::parse("EUR").expect("EUR");
        let jpy = Currency::parse("JPY").expect("JPY");
        m.rates
            .expect_accounts_and_rates_on()
            .withf(|_, on| *on == date!(2026 - 11 - 24) || *on == date!(2026 - 01 - 02))
            .returning(move |_, _| {
                let facts = RateFacts {
                    explicit: vec![(eur, jpy, Rate::parse("163.12").expect("rate"))],
                    implied: vec![],
                };
                Ok((accounts.clone(), facts))
            });
        let app = m.app();
        let p = app
            .get_profile(owner, &ProfileQueryInput::default())
            .await
            .expect("profile");
        let nw = p.net_worth.expect("base currency set");
        assert_eq!(nw.amount.to_string(), "110.00");
        assert_eq!(nw.as_of, date!(2026 - 11 - 24));
        assert_eq!(nw.missing, [Currency::parse("GBP").expect("GBP")]);
        let p = app
            .get_profile(
                owner,
                &ProfileQueryInput {
                    currency: Some("JPY".into()),
                    as_of: Some("2026-01-02".into()),
                },
            )
            .await
            .expect("profile");
        let nw = p.net_worth.expect("asked");
        assert_eq!((nw.currency, nw.amount.to_string()), (jpy, "17943".into()));
        let bad = app
            .get_profile(
                owner,
                &ProfileQueryInput {
                    currency: Some("XXX".into()),
                    as_of: Some("tomorrow".into()),
                },
            )
            .await;
        match bad {
            Err(Error::Invalid(e)) => {
                let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["currency", "as_of"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
