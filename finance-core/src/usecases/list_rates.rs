use super::{App, Error};
use crate::domain::{RatePage, RateQuery, RateQueryInput, UserId};

impl App {
    /// A page of the owner's rates, newest first, filtered by pair and dates.
    pub async fn list_rates(
        &self,
        owner: UserId,
        input: &RateQueryInput,
    ) -> Result<RatePage, Error> {
        let query = RateQuery::parse(input)?;
        Ok(self.rates.list_rates(owner, &query).await?)
    }
}
