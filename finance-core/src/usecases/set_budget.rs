use super::{App, Error};
use crate::domain::{Budget, BudgetInput, UserId};

impl App {
    /// Sets the monthly limit of a category's expenses (one per category), replacing the
    /// one it had. Returns the budget and whether it is new.
    pub async fn set_budget(
        &self,
        owner: UserId,
        category: &str,
        input: &BudgetInput,
    ) -> Result<(Budget, bool), Error> {
        let budget = Budget::parse(category, input)?;
        let added = self.reports.put_budget(owner, &budget).await?;
        Ok((budget, added))
    }
}
