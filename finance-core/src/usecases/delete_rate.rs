use super::{App, Error};
use crate::domain::{ExchangeRate, UserId};

impl App {
    /// Removes the owner's rate of a pair on a day; `NotFound` if there is none.
    pub async fn delete_rate(
        &self,
        owner: UserId,
        base: &str,
        quote: &str,
        date: &str,
    ) -> Result<(), Error> {
        let at = ExchangeRate::address(base, quote, date)?;
        Ok(self.rates.delete_rate(owner, &at).await?)
    }
}
