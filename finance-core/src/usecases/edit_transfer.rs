use super::{App, Error};
use crate::domain::{Transfer, TransferId, TransferPatch, UserId};

impl App {
    /// Changes a transfer's amounts, description or date: both legs and both balances in
    /// one transaction. One changed meanwhile is `PreconditionFailed`, nothing written.
    pub async fn edit_transfer(
        &self,
        owner: UserId,
        id: TransferId,
        patch: &TransferPatch,
    ) -> Result<Transfer, Error> {
        let before = self.writable_transfer(owner, id).await?;
        let by = self.author(owner).await?;
        let after = patch.apply(&before, self.clock.now(), &by)?;
        self.transfers
            .update_transfer(owner, &before, &after)
            .await?;
        Ok(after)
    }
}
