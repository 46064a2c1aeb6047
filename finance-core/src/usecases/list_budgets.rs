use super::{App, Error};
use crate::domain::{
    BudgetList, BudgetQueryInput, BudgetStatus, UserId, month_end, month_start, parse_month,
};

impl App {
    /// The owner's budgets for a month (this one when absent), each with what its
    /// category spent in its currency that month and what remains (negative when over).
    pub async fn list_budgets(
        &self,
        owner: UserId,
        input: &BudgetQueryInput,
    ) -> Result<BudgetList, Error> {
        let (from, to) = match &input.month {
            Some(m) => parse_month(m)?,
            None => {
                let today = self.clock.now().date();
                (month_start(today), month_end(today))
            }
        };
        let items = self
            .reports
            .budgets(owner, from, to)
            .await?
            .into_iter()
            .map(|(budget, spent)| BudgetStatus::new(budget, spent))
            .collect();
        Ok(BudgetList {
            month: format!("{:04}-{:02}", from.year(), u8::from(from.month())),
            items,
        })
    }
}
