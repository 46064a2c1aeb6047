use std::collections::HashMap;

use super::{App, Error};
use crate::domain::{CashFlowQueryInput, CashFlowReport, UserId, cash_flow, parse_tags, periods};

impl App {
    /// Income, expense and net per period from the database's daily sums: per currency,
    /// per category, and converted into `currency` (else the base currency) at the rates
    /// of each period's last day, with what had no rate named. With tags, only movements
    /// that carry them all count.
    pub async fn cash_flow_report(
        &self,
        owner: UserId,
        input: &CashFlowQueryInput,
    ) -> Result<CashFlowReport, Error> {
        let tags = parse_tags(&input.tag).map_err(|e| e.for_field("tag"))?;
        let query = self.report_query(owner, &input.report()).await?;
        let days = self
            .reports
            .day_flows(owner, query.from, query.to, &tags)
            .await?;
        let mut books = HashMap::new();
        if query.currency.is_some() {
            for p in periods(query.from, query.to, query.step) {
                books.insert(p.end, self.rate_book_on(owner, p.end).await?);
            }
        }
        Ok(cash_flow(&query, &days, |end| books.remove(&end)))
    }
}
