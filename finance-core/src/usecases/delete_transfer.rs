use super::{App, Error};
use crate::domain::{TransferId, UserId};

impl App {
    /// Removes a transfer, both legs, and takes them back from their balances.
    pub async fn delete_transfer(&self, owner: UserId, id: TransferId) -> Result<(), Error> {
        self.writable_transfer(owner, id).await?;
        Ok(self
            .transfers
            .delete_transfer(owner, id, self.clock.now())
            .await?)
    }

    /// The transfer, if the user may write to both its accounts.
    pub(crate) async fn writable_transfer(
        &self,
        user: UserId,
        id: TransferId,
    ) -> Result<crate::domain::Transfer, Error> {
        let transfer = self.get_transfer(user, id).await?;
        for account in [transfer.from.account_id, transfer.to.account_id] {
            self.account_for(user, account, crate::domain::Action::Write)
                .await?;
        }
        Ok(transfer)
    }
}
