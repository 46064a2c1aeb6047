use super::{App, Error};
use crate::domain::{AccountId, MemberList, UserId};

impl App {
    /// The account's members (the owner first) and pending invitations, for any member.
    pub async fn list_members(
        &self,
        user: UserId,
        account: AccountId,
    ) -> Result<MemberList, Error> {
        let items = self
            .members
            .members(user, account, self.clock.now())
            .await?;
        Ok(MemberList { items })
    }
}
