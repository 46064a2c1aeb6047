use super::{App, Error};
use crate::domain::{RatesImported, UserId, parse_ecb_csv};

impl App {
    /// Imports the ECB's reference-rate CSV (`eurofxref-hist.csv`): every rate or none.
    /// A bad line is a validation error naming it; rates already recorded for a pair
    /// and day are replaced and counted as `updated`.
    pub async fn import_rates(&self, owner: UserId, csv: &str) -> Result<RatesImported, Error> {
        let parsed = parse_ecb_csv(csv)?;
        let mut imported = self.rates.import_rates(owner, &parsed.rates).await?;
        imported.skipped_currencies = parsed.skipped;
        Ok(imported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usecases::testing::Mocks;

    #[tokio::test]
    async fn a_bad_line_writes_nothing() {
        let mut m = Mocks::new();
        m.rates.expect_import_rates().never();
        let csv = "Date,USD,\n2026-11-20,1.08,\n2026-11-19,one,\n";
        match m.app().import_rates(UserId::random(), csv).await {
            Err(Error::Invalid(e)) => {
                assert_eq!(
                    (e.errors[0].line, e.errors[0].field.as_str()),
                    (Some(3), "USD")
                );
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
