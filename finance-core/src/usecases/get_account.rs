use super::{App, Error};
use crate::domain::{Account, AccountId, Action, UserId, access};

impl App {
    /// One of the accounts the user can see, with its balance and their role; any other is
    /// `NotFound`.
    pub async fn get_account(&self, user: UserId, id: AccountId) -> Result<Account, Error> {
        self.account_for(user, id, Action::Read).await
    }

    /// The account, if the user may do `action` to it: the question every use case asks
    /// before touching an account (`NotFound` for a non-member, `Forbidden` for a role
    /// that does not allow it). The store asks it again inside each write's transaction.
    pub(crate) async fn account_for(
        &self,
        user: UserId,
        id: AccountId,
        action: Action,
    ) -> Result<Account, Error> {
        let account = self.accounts.get_account(user, id).await?;
        access(account.as_ref().map(|a| a.role), action)?;
        let mut account = account.ok_or(Error::NotFound)?;
        self.with_owners(std::slice::from_mut(&mut account)).await?;
        Ok(account)
    }

    /// Finds an account by id or, failing that, by exact name (how people name accounts on
    /// the command line).
    pub async fn find_account(&self, owner: UserId, id_or_name: &str) -> Result<Account, Error> {
        if let Ok(id) = AccountId::parse("account", id_or_name) {
            match self.get_account(owner, id).await {
                Err(Error::NotFound) => {}
                found => return found,
            }
        }
        let mut found = self
            .accounts
            .find_account_by_name(owner, id_or_name.trim())
            .await?
            .ok_or(Error::NotFound)?;
        self.with_owners(std::slice::from_mut(&mut found)).await?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::*;
    use crate::usecases::{Error, testing::Mocks};

    #[tokio::test]
    async fn asks_the_store_scoped_to_the_owner() {
        let (owner, id) = (UserId::random(), AccountId::random());
        let mut m = Mocks::new();
        m.accounts
            .expect_get_account()
            .withf(move |o, i| *o == owner && *i == id)
            .returning(|_, _| Ok(None));
        assert!(matches!(
            m.app().get_account(owner, id).await,
            Err(Error::NotFound)
        ));
    }

    #[tokio::test]
    async fn finds_by_name_when_not_an_id() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        m.accounts
            .expect_find_account_by_name()
            .withf(|_, n| n == "Cash")
            .returning(|_, _| Ok(None));
        assert!(matches!(
            m.app().find_account(owner, " Cash ").await,
            Err(Error::NotFound)
        ));
    }
}
