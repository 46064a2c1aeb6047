use super::{App, Error};
use crate::domain::{Account, InvitationId, InvitationList, UserId};

impl App {
    /// The invitations to the user's email that are still pending.
    pub async fn list_invitations(&self, user: UserId) -> Result<InvitationList, Error> {
        let email = self.author(user).await?.email.ok_or(Error::NotFound)?;
        let items = self.members.invitations(&email, self.clock.now()).await?;
        Ok(InvitationList { items })
    }

    /// Accepts an invitation to the user's email: they join the account with its role,
    /// which is answered as they now see it.
    pub async fn accept_invitation(
        &self,
        user: UserId,
        id: InvitationId,
    ) -> Result<Account, Error> {
        let account = self.answer(user, id, true).await?;
        self.get_account(user, account).await
    }

    /// Declines an invitation to the user's email.
    pub async fn decline_invitation(&self, user: UserId, id: InvitationId) -> Result<(), Error> {
        self.answer(user, id, false).await.map(|_| ())
    }

    async fn answer(
        &self,
        user: UserId,
        id: InvitationId,
        accept: bool,
    ) -> Result<crate::domain::AccountId, Error> {
        let email = self.author(user).await?.email.ok_or(Error::NotFound)?;
        Ok(self
            .members
            .answer_invitation(user, &email, id, accept, self.clock.now())
            .await?)
    }
}
