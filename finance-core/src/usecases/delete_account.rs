use super::{App, Error};
use crate::domain::{AccountId, UserId};

impl App {
    /// Deletes one of the owner's accounts if it has no movements (a conflict otherwise:
    /// archive it instead).
    pub async fn delete_account(&self, owner: UserId, id: AccountId) -> Result<(), Error> {
        self.account_for(owner, id, crate::domain::Action::Manage)
            .await?;
        Ok(self
            .accounts
            .delete_account(owner, id, self.clock.now())
            .await?)
    }
}
