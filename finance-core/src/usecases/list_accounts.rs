use super::{App, Error};
use crate::domain::{Account, UserId};

impl App {
    /// The owner's accounts, archived ones included, ordered by name.
    pub async fn list_accounts(&self, owner: UserId) -> Result<Vec<Account>, Error> {
        Ok(self.accounts.list_accounts(owner).await?)
    }
}
