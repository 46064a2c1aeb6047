use super::{App, Error};
use crate::domain::{Transfer, TransferInput, UserId};

impl App {
    /// Moves money between two of the owner's accounts: both legs and both balances in one
    /// transaction. Another user's account is `NotFound`; an archived one a conflict.
    pub async fn create_transfer(
        &self,
        owner: UserId,
        input: &TransferInput,
    ) -> Result<Transfer, Error> {
        let (from, to) = input.accounts()?;
        let from = self.get_account(owner, from).await?;
        let to = self.get_account(owner, to).await?;
        let transfer = Transfer::parse(input, &from, &to, self.clock.now())?;
        self.transfers.add_transfer(owner, &transfer).await?;
        Ok(transfer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usecases::testing::{Mocks, account};

    fn input(from: &crate::domain::Account, to: &crate::domain::Account) -> TransferInput {
        TransferInput {
            from_account: from.id.to_string(),
            to_account: to.id.to_string(),
            amount: "25.00".into(),
            to_amount: None,
            description: "Savings".into(),
            occurred_on: None,
        }
    }

    #[tokio::test]
    async fn both_accounts_must_be_the_owners() {
        let owner = UserId::random();
        let (bank, savings) = (
            account(owner, "Bank", "EUR", 0),
            account(owner, "Savings", "EUR", 0),
        );
        let theirs = account(UserId::random(), "Theirs", "EUR", 0);
        let mut m = Mocks::new();
        let known = [bank.clone(), savings.clone()];
        m.accounts
            .expect_get_account()
            .returning(move |_, id| Ok(known.iter().find(|a| a.id == id).cloned()));
        m.transfers
            .expect_add_transfer()
            .withf(|_, t| t.from.amount.minor() == -2_500 && t.to.amount.minor() == 2_500)
            .times(1)
            .returning(|_, _| Ok(()));
        let app = m.app();
        let made = app
            .create_transfer(owner, &input(&bank, &savings))
            .await
            .expect("made");
        assert_eq!(
            (made.from.account_id, made.to.account_id),
            (bank.id, savings.id)
        );
        let refused = app.create_transfer(owner, &input(&bank, &theirs)).await;
        assert!(matches!(refused, Err(Error::NotFound)));
        let mut bad = input(&bank, &savings);
        bad.from_account = "nope".into();
        assert!(matches!(
            app.create_transfer(owner, &bad).await,
            Err(Error::Invalid(_))
        ));
    }
}
