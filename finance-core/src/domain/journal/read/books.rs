//! What a journal means to the service: its asset and liability accounts become accounts,
//! each transaction on one of them a movement (the other postings its category or its
//! splits), each between two of them a transfer.

use time::Date;

use crate::domain::{Currency, ExchangeRate, Money, NewMovement};
/// An account the journal names, with the service's name for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalAccount {
    pub line: u64,
    pub journal_name: String,
    pub name: String,
    pub currency: Currency,
}

/// A transaction as the service records it; accounts by their index in
/// [`JournalBooks::accounts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Movement {
        account: usize,
        movement: NewMovement,
    },
    Transfer {
        from: usize,
        to: usize,
        /// Negative, in `from`'s currency.
        sent: Money,
        /// Positive, in `to`'s currency.
        received: Money,
        description: String,
        date: Date,
        tags: Vec<String>,
    },
}

impl Entry {
    pub fn date(&self) -> Date {
        match self {
            Self::Movement { movement, .. } => movement.occurred_on,
            Self::Transfer { date, .. } => *date,
        }
    }

    /// What it adds to each account it moves.
    pub fn deltas(&self) -> Vec<(usize, Money)> {
        match self {
            Self::Movement { account, movement } => vec![(*account, movement.amount)],
            Self::Transfer {
                from,
                to,
                sent,
                received,
                ..
            } => vec![(*from, *sent), (*to, *received)],
        }
    }
}

/// A balance the journal asserts: `account` held `balance` right after entry `after`
/// (`None`: at the end of `day`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    pub line: u64,
    pub account: usize,
    pub day: Date,
    pub after: Option<usize>,
    pub balance: Money,
}

/// The accounts and entries of a journal, every amount exact in its account's currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalBooks {
    pub accounts: Vec<JournalAccount>,
    pub entries: Vec<Entry>,
    /// The line of each entry's transaction.
    pub lines: Vec<u64>,
    pub assertions: Vec<Assertion>,
    /// The assertions that state an account's balance at the end of a day (not after
    /// today): the reconciliations an import records, by account then day.
    pub reconciliations: Vec<Checkpoint>,
    /// The prices between two currencies: the user's rates.
    pub rates: Vec<ExchangeRate>,
}

/// A reconciliation to record: `account` held `balance` at the end of `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub account: usize,
    pub day: Date,
    pub balance: Money,
}
