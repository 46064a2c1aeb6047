use super::{App, Error};
use crate::domain::{Action, Transfer, TransferInput, UserId};
use crate::ports::AddedTransfer;

impl App {
    /// Moves money between two of the owner's accounts: both legs and both balances in one
    /// transaction. Another user's account is `NotFound`; an archived one a conflict.
    ///
    /// With an idempotency key, a retry of the same request returns the first transfer
    /// (`true` second) and writes nothing; the key with another request is a conflict.
    pub async fn create_transfer(
        &self,
        owner: UserId,
        input: &TransferInput,
        idempotency_key: Option<&str>,
    ) -> Result<(Transfer, bool), Error> {
        let key = idempotency_key
            .map(|k| super::add_movement::fingerprinted(k, "transfer", input))
            .transpose()?;
        let (from, to) = input.accounts()?;
        let from = self.account_for(owner, from, Action::Write).await?;
        let to = self.account_for(owner, to, Action::Write).await?;
        let by = self.author(owner).await?;
        let transfer = Transfer::parse(input, &from, &to, self.clock.now(), &by)?;
        match self.transfers.add_transfer(owner, &transfer, key).await? {
            AddedTransfer::Created => Ok((transfer, false)),
            AddedTransfer::Replayed(first) => Ok((*first, true)),
        }
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
        m.known_authors();
        let known = [bank.clone(), savings.clone()];
        m.accounts
            .expect_get_account()
            .returning(move |_, id| Ok(known.iter().find(|a| a.id == id).cloned()));
        m.transfers
            .expect_add_transfer()
            .withf(|_, t, _| t.from.amount.minor() == -2_500 && t.to.amount.minor() == 2_500)
            .times(1)
            .returning(|_, _, _| Ok(AddedTransfer::Created));
        let app = m.app();
        let (made, _) = app
            .create_transfer(owner, &input(&bank, &savings), None)
            .await
            .expect("made");
        assert_eq!(
            (made.from.account_id, made.to.account_id),
            (bank.id, savings.id)
        );
        let refused = app
            .create_transfer(owner, &input(&bank, &theirs), None)
            .await;
        assert!(matches!(refused, Err(Error::NotFound)));
        let mut bad = input(&bank, &savings);
        bad.from_account = "nope".into();
        assert!(matches!(
            app.create_transfer(owner, &bad, None).await,
            Err(Error::Invalid(_))
        ));
    }
}
