use super::{App, Error};
use crate::domain::UserId;

impl App {
    /// Removes a category's budget; `NotFound` if it has none.
    pub async fn delete_budget(&self, owner: UserId, category: &str) -> Result<(), Error> {
        Ok(self.reports.delete_budget(owner, category.trim()).await?)
    }
}
