use super::{App, Error};
use crate::domain::{AccountId, Format, Imported, UserId, import_rows, parse_statement};

impl App {
    /// Imports a bank file (CSV, OFX/QFX, QIF or camt.053) into one of the owner's
    /// accounts: every row or none. Every bad row is named by its line (an amount finer
    /// than the account's currency, another currency, a bad date…: never rounded or
    /// converted); rows imported before (the same bank id, or the same row) are counted
    /// as duplicates and not added again.
    pub async fn import_statement(
        &self,
        owner: UserId,
        account: AccountId,
        format: Format,
        text: &str,
    ) -> Result<Imported, Error> {
        let account = self.get_account(owner, account).await?;
        let rows = parse_statement(format, text)?;
        let rows = import_rows(&rows, &account, self.clock.now())?;
        Ok(self.movements.import_rows(owner, account.id, &rows).await?)
    }
}
