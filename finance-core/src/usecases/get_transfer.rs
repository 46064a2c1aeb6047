use super::{App, Error};
use crate::domain::{Transfer, TransferId, UserId};

impl App {
    /// One of the owner's transfers with its two legs.
    pub async fn get_transfer(&self, owner: UserId, id: TransferId) -> Result<Transfer, Error> {
        self.transfers
            .get_transfer(owner, id)
            .await?
            .ok_or(Error::NotFound)
    }
}
