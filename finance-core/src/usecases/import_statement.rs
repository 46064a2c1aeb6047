use super::{App, Error};
use crate::domain::{
    AccountId, Format, Imported, UserId, ValidationError, import_rows, parse_statement,
};
use crate::ports::Cause;

impl App {
    /// Imports a bank file (CSV, OFX/QFX, QIF or camt.053) into one of the owner's
    /// accounts: every row or none. Every bad row is named by its line (an amount finer
    /// than the account's currency, another currency, a bad date…: never rounded or
    /// converted); rows imported before (the same bank id, or the same row) are counted
    /// as duplicates and not added again. The owner's rules categorise each new row.
    ///
    /// The file is read and checked on a blocking thread: a 10 MiB file takes a good part
    /// of a second, which on an async worker would hold up every request behind it.
    pub async fn import_statement(
        &self,
        owner: UserId,
        account: AccountId,
        format: Format,
        text: String,
    ) -> Result<Imported, Error> {
        if text.trim().is_empty() {
            return Err(ValidationError::at_line(
                1,
                "file",
                "is empty: send the bank's file as the body",
            )
            .into());
        }
        let account = self
            .account_for(owner, account, crate::domain::Action::Write)
            .await?;
        let now = self.clock.now();
        let by = self.author(owner).await?;
        let checked = account.clone();
        let book = self.rule_book(owner).await?;
        let rows = tokio::task::spawn_blocking(move || {
            let parsed = parse_statement(format, &text)?;
            let mut rows = import_rows(&parsed, &checked, now, &by)?;
            // After each row's key is made from the bank's text, so a file imported again
            // is recognised whatever the rules made of its rows. A category the file gives
            // is kept (`categorise` leaves a movement's category alone).
            for row in &mut rows {
                book.categorise(&mut row.movement, false);
            }
            Ok::<_, ValidationError>(rows)
        })
        .await
        .map_err(|e| Error::Internal(Cause::context("reading the bank file failed", e)))??;
        Ok(self.movements.import_rows(owner, account.id, &rows).await?)
    }
}
