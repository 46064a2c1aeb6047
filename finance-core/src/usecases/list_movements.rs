use super::{App, Error};
use crate::domain::{
    AccountId, MovementPage, MovementQuery, MovementQueryInput, UserId, ValidationError, Validator,
};

impl App {
    /// A page of an account's movements that pass the filters, newest first. The account
    /// must be the owner's; `min` and `max` are amounts in its currency, so they may not
    /// have more fraction digits than it has.
    pub async fn list_movements(
        &self,
        owner: UserId,
        account: AccountId,
        input: &MovementQueryInput,
    ) -> Result<MovementPage, Error> {
        let query = MovementQuery::parse(input)?;
        let account = self.get_account(owner, account).await?;
        let mut v = Validator::new();
        for (field, bound) in [("min", query.min), ("max", query.max)] {
            if bound.is_some_and(|b| !b.fits(account.currency)) {
                v.check::<()>(Err(ValidationError::new(
                    field,
                    format!(
                        "{} allows at most {} fraction digits",
                        account.currency,
                        account.currency.exponent()
                    ),
                )));
            }
        }
        v.finish(|| Some(()))?;
        Ok(self
            .movements
            .list_movements(std::slice::from_ref(&account), &query)
            .await?)
    }

    /// A page of the movements of all the owner's accounts (archived ones too) that pass
    /// the filters, newest first across them; each carries its `account_id`. `min` and
    /// `max` compare with each movement in its own account's currency.
    pub async fn list_all_movements(
        &self,
        owner: UserId,
        input: &MovementQueryInput,
    ) -> Result<MovementPage, Error> {
        let query = MovementQuery::parse(input)?;
        let accounts = self.accounts.list_accounts(owner).await?;
        Ok(self.movements.list_movements(&accounts, &query).await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::*;
    use crate::usecases::{Error, testing::Mocks};

    #[tokio::test]
    async fn someone_elses_account_is_not_listed() {
        let mut m = Mocks::new();
        m.accounts.expect_get_account().returning(|_, _| Ok(None));
        let page = m
            .app()
            .list_movements(
                UserId::random(),
                AccountId::random(),
                &MovementQueryInput::default(),
            )
            .await;
        assert!(matches!(page, Err(Error::NotFound)));
    }

    #[tokio::test]
    async fn a_bound_finer_than_the_currency_is_refused() {
        let owner = UserId::random();
        let yen = crate::usecases::testing::account(owner, "Yen", "JPY", 0);
        let mut m = Mocks::new();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(yen.clone())));
        m.movements.expect_list_movements().never();
        let input = MovementQueryInput {
            min: Some("1.5".into()),
            ..Default::default()
        };
        let page = m.app().list_movements(owner, yen.id, &input).await;
        assert!(matches!(page, Err(Error::Invalid(v)) if v.errors[0].field == "min"));
    }

    #[tokio::test]
    async fn bad_query_is_rejected_before_any_read() {
        let input = MovementQueryInput {
            limit: Some("500".into()),
            ..Default::default()
        };
        let page = Mocks::new()
            .app()
            .list_movements(UserId::random(), AccountId::random(), &input)
            .await;
        assert!(matches!(page, Err(Error::Invalid(v)) if v.errors[0].field == "limit"));
    }
}
