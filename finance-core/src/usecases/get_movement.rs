use super::{App, Error};
use crate::domain::{AccountId, Movement, MovementId, UserId};

impl App {
    /// One movement of one of the owner's accounts; anyone else's is `NotFound`.
    pub async fn get_movement(
        &self,
        owner: UserId,
        account: AccountId,
        id: MovementId,
    ) -> Result<Movement, Error> {
        self.movements
            .get_movement(owner, account, id)
            .await?
            .ok_or(Error::NotFound)
    }
}
