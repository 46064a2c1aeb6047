use super::{App, Error};
use crate::domain::{AccountId, Action, HistoryPage, HistoryQuery, HistoryQueryInput, UserId};

impl App {
    /// A page of the account's history, newest first: every change to its records, which
    /// any member may read.
    pub async fn account_history(
        &self,
        user: UserId,
        account: AccountId,
        input: &HistoryQueryInput,
    ) -> Result<HistoryPage, Error> {
        let query = HistoryQuery::parse(input)?;
        self.account_for(user, account, Action::Read).await?;
        Ok(self.history.history(user, account, &query).await?)
    }
}
