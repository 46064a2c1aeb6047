use std::collections::HashSet;

use super::{App, Error};
use crate::domain::{
    FieldError, JournalFormat, JournalImport, JournalImported, UserId, ValidationError,
    read_journal, syntax_of,
};
use crate::ports::Cause;

impl App {
    /// Imports a journal in hledger's syntax (ledger's files of this service read too) or
    /// Beancount's (`syntax`, else told from the text) into new accounts of `owner`: an
    /// account per asset or liability account, a movement per transaction on one of them,
    /// a transfer per transaction between two, a reconciliation per balance assertion of
    /// a day's close. All of it or nothing: every error is named by its line, and an
    /// account name the owner already uses is one.
    ///
    /// Read on a blocking thread, as a bank file is: a 10 MiB journal takes a while.
    pub async fn import_journal(
        &self,
        owner: UserId,
        syntax: Option<JournalFormat>,
        text: String,
    ) -> Result<JournalImported, Error> {
        if text.trim().is_empty() {
            return Err(ValidationError::at_line(
                1,
                "journal",
                "is empty: send the journal's text as the body",
            )
            .into());
        }
        let by = self.author(owner).await?;
        let now = self.clock.now();
        let books = tokio::task::spawn_blocking(move || {
            let syntax = syntax.unwrap_or_else(|| syntax_of(&text));
            read_journal(&text, syntax, now.date())
        })
        .await
        .map_err(|e| Error::Internal(Cause::context("reading the journal failed", e)))??;
        let taken: HashSet<String> = self
            .list_accounts(owner)
            .await?
            .into_iter()
            .filter(|a| a.owner_id == owner)
            .map(|a| a.name)
            .collect();
        let mut clashes: Vec<FieldError> = books
            .accounts
            .iter()
            .filter(|a| taken.contains(&a.name))
            .map(|a| FieldError {
                field: "journal".into(),
                message: format!(
                    "you have an account named {:?} already: rename {} in the file, or that account",
                    a.name, a.journal_name
                ),
                line: Some(a.line),
            })
            .collect();
        clashes.sort_by_key(|e| e.line);
        if !clashes.is_empty() {
            return Err(ValidationError { errors: clashes }.into());
        }
        let import =
            tokio::task::spawn_blocking(move || JournalImport::new(books, owner, &by, now))
                .await
                .map_err(|e| Error::Internal(Cause::context("reading the journal failed", e)))?;
        self.movements.import_journal(owner, &import).await?;
        for a in &import.accounts {
            self.known.remember(owner, a);
        }
        Ok(import.counts())
    }
}
