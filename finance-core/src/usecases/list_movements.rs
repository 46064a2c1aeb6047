use super::{App, Error};
use crate::domain::{AccountId, MovementPage, MovementQuery, MovementQueryInput, UserId};

impl App {
    /// A page of an account's movements, newest first. The account must be the owner's.
    pub async fn list_movements(
        &self,
        owner: UserId,
        account: AccountId,
        input: &MovementQueryInput,
    ) -> Result<MovementPage, Error> {
        let query = MovementQuery::parse(input)?;
        let account = self.get_account(owner, account).await?;
        Ok(self.movements.list_movements(&account, &query).await?)
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
