//! A journal as read, before it means anything to the service: transactions with their
//! postings, balance checks, opened accounts, and the name mapping an export of ours
//! writes at its top.

use std::collections::HashMap;

use time::Date;

use super::lex::{Amount, Price, amount, date};
use crate::domain::FieldError;

#[derive(Debug, Clone)]
pub struct RawPosting {
    pub line: u64,
    pub account: String,
    pub amount: Option<Amount>,
    pub price: Option<Price>,
    /// The account's balance right after this posting.
    pub assertion: Option<Amount>,
}

#[derive(Debug, Clone)]
pub struct RawTxn {
    pub line: u64,
    pub date: Date,
    pub description: String,
    /// `(name, value)`: value-less ones are the service's tags.
    pub tags: Vec<(String, String)>,
    pub postings: Vec<RawPosting>,
}

/// Beancount's `balance`: the account held `amount` at the end of `day`.
#[derive(Debug, Clone)]
pub struct RawBalance {
    pub line: u64,
    pub day: Date,
    pub account: String,
    pub amount: Amount,
}

/// A price: one unit of `base` was worth `price` on `date` (`P` in hledger, `price` in
/// Beancount).
#[derive(Debug, Clone)]
pub struct RawPrice {
    pub line: u64,
    pub date: Date,
    pub base: String,
    pub price: Amount,
}

#[derive(Debug, Default)]
pub struct RawJournal {
    pub prices: Vec<RawPrice>,
    pub balances: Vec<RawBalance>,
    /// Beancount's `open` with one currency: the account's.
    pub currencies: HashMap<String, (u64, String)>,
    /// From an export's header: journal account (lower-case) → the service's name.
    pub account_names: HashMap<String, String>,
    /// The same journal names with their currency, in the header's order.
    pub listed: Vec<(String, Option<String>)>,
    /// From an export's header: journal category → the service's name.
    pub category_names: HashMap<String, String>,
}

/// Where each transaction goes once read: a journal's transactions are not kept, so the
/// file is not held twice (as text and as postings).
pub type Sink<'s> = &'s mut dyn FnMut(RawTxn);

/// Ends the transaction being read, if any, handing it to `sink`.
pub fn close(txn: &mut Option<RawTxn>, sink: &mut dyn FnMut(RawTxn)) {
    if let Some(t) = txn.take() {
        sink(t);
    }
}

/// Where a comment line is in an export's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    None,
    Accounts,
    Categories,
}

impl Section {
    /// Reads a comment line: a heading of the mapping, or one of its lines.
    pub fn read(&mut self, line: &str, journal: &mut RawJournal) {
        let text = line.trim_start_matches([';', '#', '*']);
        if text.starts_with(" Accounts (journal name") {
            *self = Self::Accounts;
            return;
        }
        if text.starts_with(" Categories (name in finance = journal name)") {
            *self = Self::Categories;
            return;
        }
        let Some(entry) = text.strip_prefix("   ") else {
            *self = Self::None;
            return;
        };
        // Journal names never hold spaces; the service's may hold " = ".
        match *self {
            Self::Accounts => {
                if let Some((left, name)) = entry.split_once(" = ") {
                    // `assets:Name CUR` (an older export wrote no currency).
                    let mut words = left.split_whitespace();
                    let journal_name = words.next().unwrap_or("");
                    let currency = words.next().map(str::to_string);
                    journal.listed.push((journal_name.to_string(), currency));
                    journal
                        .account_names
                        .insert(journal_name.to_lowercase(), name.to_string());
                }
            }
            Self::Categories => {
                if let Some((name, journal_name)) = entry.rsplit_once(" = ") {
                    journal
                        .category_names
                        .insert(journal_name.to_string(), name.to_string());
                }
            }
            Self::None => {}
        }
    }
}

/// Most errors one answer lists: past them, the file is not a journal.
const MAX_PROBLEMS: usize = 100;

/// The errors found, each on its line.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn push(&mut self, line: u64, message: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(FieldError {
                field: "journal".into(),
                message: message.into(),
                line: Some(line),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl RawPrice {
    /// `DATE BASE AMOUNT`, the words after the directive's name.
    pub fn read(line: u64, words: &str) -> Result<Self, String> {
        let mut parts = words.trim().splitn(3, char::is_whitespace);
        let (day, base, price) = (parts.next(), parts.next(), parts.next());
        let bad = || "a price is DATE COMMODITY AMOUNT, such as 2026-01-31 EUR 1.0842 USD";
        Ok(Self {
            line,
            date: day.and_then(date).ok_or_else(bad)?,
            base: base.ok_or_else(bad)?.to_string(),
            price: amount(price.ok_or_else(bad)?)?,
        })
    }
}
