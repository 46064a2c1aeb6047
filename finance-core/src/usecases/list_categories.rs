use super::{App, Error};
use crate::domain::{CategoryList, UserId, categories};

impl App {
    /// The owner's categories with how many movements each has and their sums per
    /// currency; movements without a category are the item named `null`. Transfer legs
    /// are not spending and are left out.
    pub async fn list_categories(&self, owner: UserId) -> Result<CategoryList, Error> {
        Ok(categories(self.reports.category_sums(owner).await?))
    }
}
