//! Reading a journal (hledger's syntax, or Beancount's) into accounts, movements,
//! transfers and reconciliations: every error named by its line, nothing made unless
//! the whole file reads.

mod accounts;
mod balance;
mod beancount;
mod books;
mod checks;
mod hledger;
mod lex;
mod raw;
mod reader;
mod records;

pub use books::{Assertion, Checkpoint, Entry, JournalAccount, JournalBooks};
pub use records::{JournalImport, JournalImported};

use time::Date;

use super::JournalFormat;
use crate::domain::ValidationError;

/// The syntax of a file: Beancount's when a line says so (a dated `open`, which Beancount
/// wants for every account, or `balance`, `commodity`, `pad`, `price`, an `option`) or when
/// every transaction's first line is Beancount's (a flag, then a quoted narration: hledger
/// reads that too, as a description in quotes, so one unquoted one says hledger); else
/// hledger's (which reads ledger's files of this service too).
pub fn syntax_of(text: &str) -> JournalFormat {
    let (mut quoted, mut plain) = (0usize, 0usize);
    let declared = text.lines().take(10_000).any(|line| {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("option" | "plugin"), Some(w)) => w.starts_with('"'),
            (Some(first), Some(keyword)) if lex::date(first).is_some() => {
                let narrated = matches!(keyword, "*" | "!" | "txn")
                    && words.next().is_some_and(|w| w.starts_with('"'));
                if narrated {
                    quoted += 1;
                } else {
                    plain += 1;
                }
                matches!(keyword, "open" | "balance" | "commodity" | "pad" | "price")
            }
            (Some(first), None) if lex::date(first).is_some() => {
                plain += 1;
                false
            }
            _ => false,
        }
    });
    if declared || (quoted > 0 && plain == 0) {
        JournalFormat::Beancount
    } else {
        JournalFormat::Hledger
    }
}

/// Reads `text` in `syntax` (Beancount's, else hledger's); `today` bounds the
/// reconciliations, as a statement of a day not over would lock what is still to come.
pub fn read_journal(
    text: &str,
    syntax: JournalFormat,
    today: Date,
) -> Result<JournalBooks, ValidationError> {
    let parse =
        |journal: &mut raw::RawJournal, problems: &mut raw::Problems, sink: raw::Sink| match syntax
        {
            JournalFormat::Beancount => beancount::read(text, journal, problems, sink),
            JournalFormat::Hledger | JournalFormat::Ledger => {
                hledger::read(text, journal, problems, sink)
            }
        };
    // Twice: first what the transactions need (the header's names, accounts' currencies,
    // prices, balances) and whether every line reads; then each transaction, made an
    // entry as soon as it is read, so the postings of a whole file are never held.
    let mut journal = raw::RawJournal::default();
    let mut problems = raw::Problems::default();
    parse(&mut journal, &mut problems, &mut |_| {});
    if !problems.is_empty() {
        return Err(ValidationError { errors: problems.0 });
    }
    let mut reader = reader::Reader::new(&journal, today);
    parse(
        &mut raw::RawJournal::default(),
        &mut raw::Problems::default(),
        &mut |txn| reader.take(txn),
    );
    let books = reader.finish().map_err(|p| {
        let mut errors = p.0;
        errors.sort_by_key(|e| e.line);
        ValidationError { errors }
    })?;
    if books.entries.is_empty() && books.accounts.is_empty() {
        return Err(ValidationError::at_line(
            1,
            "journal",
            "holds no transaction on an asset or liability account",
        ));
    }
    Ok(books)
}

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod tests;
