//! Bank files: CSV, OFX/QFX, QIF and ISO 20022 camt.053, read into one shape of row with
//! the line it came from, so that one import rule checks them all.

mod camt;
mod csv_file;
mod ofx;
mod qif;
mod rows;
pub mod samples;

#[cfg(test)]
mod fuzz_tests;

pub use csv_file::spreadsheet_safe;
pub use rows::{ImportRow, Imported, import_rows};

use super::error::{FieldError, ValidationError};

/// A file format the import takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ofx,
    Qif,
    Camt,
}

impl Format {
    /// The format a `Content-Type` names (`text/csv`, `application/x-ofx`,
    /// `application/qif`, `application/vnd.camt+xml`, with their usual aliases).
    pub fn from_content_type(value: &str) -> Option<Self> {
        let essence = value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "text/csv" | "application/csv" => Some(Format::Csv),
            "application/x-ofx"
            | "application/ofx"
            | "application/vnd.intu.qfx"
            | "application/x-qfx" => Some(Format::Ofx),
            "application/qif" | "application/x-qif" | "text/qif" => Some(Format::Qif),
            "application/vnd.camt+xml" | "application/xml" | "text/xml" => Some(Format::Camt),
            _ => None,
        }
    }

    /// The format of a file, from its name's extension, else from its first bytes.
    pub fn guess(name: &str, text: &str) -> Option<Self> {
        let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "csv" => return Some(Format::Csv),
            "ofx" | "qfx" => return Some(Format::Ofx),
            "qif" => return Some(Format::Qif),
            "xml" | "camt" | "053" => return Some(Format::Camt),
            _ => {}
        }
        let head = text.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("OFXHEADER") || head.contains("<OFX>") {
            Some(Format::Ofx)
        } else if head.starts_with('!') {
            Some(Format::Qif)
        } else if head.starts_with("<?xml") || head.starts_with("<Document") {
            Some(Format::Camt)
        } else {
            Some(Format::Csv)
        }
    }

    /// Its name, for messages and the CLI's `--format`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "ofx" | "qfx" => Some(Format::Ofx),
            "qif" => Some(Format::Qif),
            "camt" | "camt.053" | "camt053" => Some(Format::Camt),
            _ => None,
        }
    }

    /// The `Content-Type` to send a file of this format with.
    pub fn content_type(&self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Ofx => "application/x-ofx",
            Format::Qif => "application/qif",
            Format::Camt => "application/vnd.camt+xml",
        }
    }
}

/// One row of a bank file, as written: checked by the import against the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRow {
    /// Where it is in the file (1 is the first line).
    pub line: u64,
    /// The bank's id of the transaction, when the format has one.
    pub external_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A decimal string, negative for money out.
    pub amount: String,
    pub description: String,
    pub category: Option<String>,
    /// The currency the file gives the row (or the statement), if any.
    pub currency: Option<String>,
    /// Its parts, when the file splits it (QIF's `S`/`E`/`$` lines).
    pub splits: Vec<crate::domain::SplitInput>,
}

/// Reads a whole file, or names every line that cannot be read (at most 20).
pub fn parse_statement(format: Format, text: &str) -> Result<Vec<StatementRow>, ValidationError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Errors::default();
    let rows = match format {
        Format::Csv => csv_file::parse(text, &mut errors),
        Format::Ofx => ofx::parse(text, &mut errors),
        Format::Qif => qif::parse(text, &mut errors),
        Format::Camt => camt::parse(text, &mut errors),
    };
    errors.finish(rows)
}

/// The errors of a file, each with its line.
#[derive(Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn add(&mut self, line: u64, field: &str, message: impl Into<String>) {
        if self.0.len() < 20 {
            self.0
                .extend(ValidationError::at_line(line, field, message).errors);
        }
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, ValidationError> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(ValidationError { errors: self.0 })
        }
    }
}

/// The line of each of a rising series of byte offsets in a text, each byte read once:
/// counting from the start for every entry made a big file quadratic.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line (1 is the first) of byte `offset`; an offset before the last one asked
    /// counts again from the start (the parsers never ask so).
    pub(crate) fn line_of(&mut self, offset: usize) -> u64 {
        let offset = offset.min(self.text.len());
        if offset < self.at {
            self.at = 0;
            self.line = 1;
        }
        self.line += self.text[self.at..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.at = offset;
        self.line
    }
}
