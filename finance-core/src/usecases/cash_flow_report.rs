use std::collections::HashMap;

use super::{App, Error};
use crate::domain::{
    CashFlowReport, RateBook, ReportQuery, ReportQueryInput, UserId, cash_flow, periods,
};

impl App {
    /// Income, expense and net per period from the database's daily sums: per currency,
    /// per category, and converted into `currency` (else the base currency) at the rates
    /// of each period's last day, with what had no rate named.
    pub async fn cash_flow_report(
        &self,
        owner: UserId,
        input: &ReportQueryInput,
    ) -> Result<CashFlowReport, Error> {
        let mut query = ReportQuery::parse(input, self.clock.now().date())?;
        if query.currency.is_none() {
            query.currency = self
                .users
                .get_user(owner)
                .await?
                .ok_or(Error::NotFound)?
                .base_currency;
        }
        let days = self.reports.day_flows(owner, query.from, query.to).await?;
        let mut books = HashMap::new();
        if query.currency.is_some() {
            for p in periods(query.from, query.to, query.step) {
                let (_, facts) = self.rates.accounts_and_rates_on(owner, p.end).await?;
                books.insert(p.end, RateBook::new(facts));
            }
        }
        Ok(cash_flow(&query, &days, |end| books.remove(&end)))
    }
}
