use super::{App, Error};
use crate::domain::{Account, AccountId, AccountInput, Money, NewAccount, Role, UserId};

impl App {
    /// Opens an account for `owner` with a zero balance. A name the owner already uses is
    /// a conflict.
    pub async fn create_account(
        &self,
        owner: UserId,
        input: &AccountInput,
    ) -> Result<Account, Error> {
        let new = NewAccount::parse(input)?;
        let me = self.author(owner).await?;
        let account = Account {
            reconciled_on: None,
            id: AccountId::random(),
            owner_id: owner,
            owner_email: me.email,
            role: Role::Owner,
            name: new.name,
            currency: new.currency,
            balance: Money::zero(new.currency),
            archived: false,
            created_at: self.clock.now(),
        };
        self.accounts.create_account(&account).await?;
        self.known.remember(owner, &account);
        Ok(account)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::*;
    use crate::ports::StoreError;
    use crate::usecases::{Error, testing::Mocks};

    fn input(name: &str, currency: &str) -> AccountInput {
        AccountInput {
            name: name.into(),
            currency: currency.into(),
        }
    }

    #[tokio::test]
    async fn creates_with_zero_balance_for_the_owner() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        m.known_authors();
        let now = m.now;
        m.accounts
            .expect_create_account()
            .withf(move |a| a.owner_id == owner && a.name == "Cash" && a.balance.is_zero())
            .times(1)
            .returning(|_| Ok(()));
        let a = m
            .app()
            .create_account(owner, &input(" Cash ", "EUR"))
            .await
            .expect("created");
        assert_eq!(a.currency.to_string(), "EUR");
        assert_eq!(a.created_at, now);
    }

    #[tokio::test]
    async fn invalid_input_writes_nothing() {
        // No expectation on the repository: any call would fail the test.
        let err = Mocks::new()
            .app()
            .create_account(UserId::random(), &input("", "EURO"))
            .await;
        assert!(matches!(err, Err(Error::Invalid(v)) if v.errors.len() == 2));
    }

    #[tokio::test]
    async fn duplicate_name_is_a_conflict() {
        let mut m = Mocks::new();
        m.known_authors();
        m.accounts
            .expect_create_account()
            .returning(|_| Err(StoreError::Refused(Refusal::NameTaken)));
        let err = m
            .app()
            .create_account(UserId::random(), &input("Cash", "EUR"))
            .await;
        assert!(matches!(err, Err(Error::Conflict(_))));
    }
}
