use super::{App, Error};
use crate::domain::{AccountId, Member, RoleInput, UserId};

impl App {
    /// Gives a member another role (owner only); `owner` hands the account over and makes
    /// the old owner an editor. The member's next request sees the new role.
    pub async fn change_member(
        &self,
        user: UserId,
        account: AccountId,
        member: UserId,
        input: &RoleInput,
    ) -> Result<Member, Error> {
        Ok(self
            .members
            .set_role(user, account, member, input.role, self.clock.now())
            .await?)
    }

    /// Removes a member (the owner), or leaves (a member themself; the owner hands the
    /// account over first). The removed member's next request, on any server, finds no
    /// account; the schedules they made on it are removed with them.
    pub async fn remove_member(
        &self,
        user: UserId,
        account: AccountId,
        member: UserId,
    ) -> Result<(), Error> {
        Ok(self
            .members
            .remove_member(user, account, member, self.clock.now())
            .await?)
    }
}
