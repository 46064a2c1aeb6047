use super::{App, Error};
use crate::domain::{TransferId, UserId};

impl App {
    /// Removes a transfer, both legs, and takes them back from their balances.
    pub async fn delete_transfer(&self, owner: UserId, id: TransferId) -> Result<(), Error> {
        Ok(self.transfers.delete_transfer(owner, id).await?)
    }
}
