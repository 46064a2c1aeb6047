use super::{App, Error};
use crate::domain::{Account, UserId};

impl App {
    /// The accounts the user can see (own and shared), archived ones included, ordered by
    /// name, each with its owner.
    pub async fn list_accounts(&self, owner: UserId) -> Result<Vec<Account>, Error> {
        let mut accounts = self.accounts.list_accounts(owner).await?;
        self.with_owners(&mut accounts).await?;
        Ok(accounts)
    }
}
