use super::{App, Error};
use crate::domain::{ExchangeRate, Rate, RateInput, UserId, Validator};

impl App {
    /// Records that on `date` 1 `base` was worth `input.rate` `quote`, replacing the
    /// owner's rate of that pair and day. Returns the rate and whether it is new.
    pub async fn set_rate(
        &self,
        owner: UserId,
        base: &str,
        quote: &str,
        date: &str,
        input: &RateInput,
    ) -> Result<(ExchangeRate, bool), Error> {
        let mut v = Validator::new();
        let at = v.check(ExchangeRate::address(base, quote, date));
        let rate = v.check(Rate::parse(input.rate.trim()));
        let rate = v.finish(|| {
            let at = at?;
            Some(ExchangeRate {
                base: at.base,
                quote: at.quote,
                date: at.date,
                rate: rate?,
            })
        })?;
        let added = self.rates.put_rate(owner, &rate).await?;
        Ok((rate, added))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usecases::testing::Mocks;

    #[tokio::test]
    async fn every_bad_part_is_named_and_nothing_written() {
        let mut m = Mocks::new();
        m.rates.expect_put_rate().never();
        let input = RateInput { rate: "-1".into() };
        match m
            .app()
            .set_rate(UserId::random(), "EUR", "EUR", "2026-02-30", &input)
            .await
        {
            Err(Error::Invalid(e)) => {
                let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["date", "quote", "rate"]);
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
