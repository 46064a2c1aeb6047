//! Plaintext accounting: the user's books as a journal that hledger, ledger or Beancount
//! reads (`GET /export`), written piece by piece so any number of movements streams.

mod names;
mod read;
mod write;

pub use names::{JournalNames, UNCATEGORIZED, component};
pub use read::{
    Assertion, Checkpoint, Entry, JournalAccount, JournalBooks, JournalImport, JournalImported,
    read_journal, syntax_of,
};
pub use write::{JournalWriter, OPENED_ON};

use time::Date;

use super::error::{ValidationError, Validator};
use super::fields::parse_span;

/// Which tool's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalFormat {
    Hledger,
    Ledger,
    Beancount,
}

impl JournalFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::Hledger => "hledger",
            Self::Ledger => "ledger",
            Self::Beancount => "beancount",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        [Self::Hledger, Self::Ledger, Self::Beancount]
            .into_iter()
            .find(|f| f.name() == raw.trim())
            .ok_or_else(|| {
                ValidationError::new(
                    "format",
                    format!("{raw:?} is not hledger, ledger or beancount"),
                )
            })
    }
}

/// The query string of `GET /export`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ExportQueryInput {
    /// `hledger`, `ledger` or `beancount`.
    #[cfg_attr(
        feature = "openapi",
        param(required = true, value_type = String, pattern = "^(hledger|ledger|beancount)$")
    )]
    pub format: Option<String>,
    /// The first day exported; what came before is one opening balance per account.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub from: Option<String>,
    /// The last day exported.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub to: Option<String>,
}

/// An export asked for, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportQuery {
    pub format: JournalFormat,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl ExportQuery {
    pub fn parse(input: &ExportQueryInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let format = v.check(match &input.format {
            Some(f) => JournalFormat::parse(f),
            None => Err(ValidationError::new(
                "format",
                "is required: hledger, ledger or beancount",
            )),
        });
        let span = v.check(parse_span(input.from.as_deref(), input.to.as_deref()));
        v.finish(|| {
            Some(Self {
                format: format?,
                from: span?.0,
                to: span?.1,
            })
        })
    }
}

#[cfg(test)]
mod tests;
