use time::Date;

use super::{App, Error};
use crate::domain::{RateBook, ReportQuery, ReportQueryInput, UserId};

impl App {
    /// A report's query, its currency defaulting to the owner's base currency.
    pub(crate) async fn report_query(
        &self,
        owner: UserId,
        input: &ReportQueryInput,
    ) -> Result<ReportQuery, Error> {
        let mut query = ReportQuery::parse(input, self.clock.now().date())?;
        if query.currency.is_none() {
            query.currency = self
                .users
                .get_user(owner)
                .await?
                .ok_or(Error::NotFound)?
                .base_currency;
        }
        Ok(query)
    }

    /// The rates a conversion on `on` may use.
    pub(crate) async fn rate_book_on(&self, owner: UserId, on: Date) -> Result<RateBook, Error> {
        let (_, facts) = self.rates.accounts_and_rates_on(owner, on).await?;
        Ok(RateBook::new(facts))
    }
}
