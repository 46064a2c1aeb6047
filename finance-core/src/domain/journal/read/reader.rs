//! Each transaction as an entry: one account's movement (its other postings give the
//! category or the splits), or a transfer between two accounts.

use std::collections::HashMap;

use time::Date;

use super::super::UNCATEGORIZED;
use super::accounts::{is_account, money};
use super::books::{Assertion, Entry, JournalBooks};
use super::lex::{Amount, Price};
use super::raw::{Problems, RawJournal, RawPosting, RawTxn};
use crate::domain::{Money, MovementInput, NewMovement, SplitInput, parse_tags};

pub struct Reader<'a> {
    pub(super) raw: &'a RawJournal,
    pub(super) index: HashMap<String, usize>,
    pub(super) books: JournalBooks,
    pub(super) problems: Problems,
    pub(super) today: Date,
}

impl<'a> Reader<'a> {
    pub fn new(raw: &'a RawJournal, today: Date) -> Self {
        Self {
            raw,
            index: HashMap::new(),
            books: JournalBooks::default(),
            problems: Problems::default(),
            today,
        }
    }

    /// Takes one transaction as it is read.
    pub fn take(&mut self, txn: RawTxn) {
        if let Err(e) = self.txn(&txn) {
            self.problems.push(e.0, e.1);
        }
    }

    /// The books, once every transaction is taken.
    pub fn finish(mut self) -> Result<JournalBooks, Problems> {
        for b in &self.raw.balances {
            let checked = self
                .account(b.line, &b.account, Some(&b.amount))
                .and_then(|account| {
                    let balance = self.in_account(account, &b.amount, b.line)?;
                    Ok(Assertion {
                        line: b.line,
                        account,
                        day: b.day,
                        after: None,
                        balance,
                    })
                });
            match checked {
                Ok(a) => self.books.assertions.push(a),
                Err(e) => self.problems.push(e.0, e.1),
            }
        }
        self.unused_accounts();
        self.rates();
        self.in_header_order();
        if self.problems.is_empty() {
            super::checks::check(&mut self.books, &mut self.problems, self.today);
        }
        if self.problems.is_empty() {
            Ok(self.books)
        } else {
            Err(self.problems)
        }
    }

    fn txn(&mut self, t: &RawTxn) -> Result<(), (u64, String)> {
        let amounts = super::balance::amounts(t)?;
        let (on_accounts, others): (Vec<_>, Vec<_>) = t
            .postings
            .iter()
            .zip(amounts)
            .partition(|(p, _)| is_account(&p.account));
        let mut moved = Vec::new();
        for (p, a) in &on_accounts {
            let account = self.account(p.line, &p.account, Some(a))?;
            moved.push((account, self.in_account(account, a, p.line)?, *p));
        }
        let others: Vec<(&RawPosting, Amount)> = others
            .into_iter()
            .filter(|(_, a)| !a.value.is_zero())
            .collect();
        let entry = self.books.entries.len();
        let mut asserted = Vec::new();
        for (account, _, p) in &moved {
            if let Some(balance) = &p.assertion {
                asserted.push(Assertion {
                    line: p.line,
                    account: *account,
                    day: t.date,
                    after: Some(entry),
                    balance: self.in_account(*account, balance, p.line)?,
                });
            }
        }
        moved.retain(|(_, m, _)| !m.is_zero());
        let tags = tags(t)?;
        let description = match t.description.trim() {
            "" => "(no description)".to_string(),
            d => d.to_string(),
        };
        let made = match (&moved[..], &others[..]) {
            // Touches no account of the service; what it asserts holds at the day's end.
            ([], _) => {
                for mut a in asserted {
                    a.after = None;
                    self.books.assertions.push(a);
                }
                return Ok(());
            }
            ([(account, amount, p)], _) => {
                self.movement(t, *account, *amount, p, &others, description, tags)?
            }
            ([(a, x, _), (b, y, _)], []) => {
                let ((from, sent), (to, received)) = if x.minor() < 0 {
                    ((*a, *x), (*b, *y))
                } else {
                    ((*b, *y), (*a, *x))
                };
                if sent.minor() >= 0 || received.minor() <= 0 || from == to {
                    return Err((
                        t.line,
                        "a transaction between two accounts takes from one and puts into the other"
                            .into(),
                    ));
                }
                Entry::Transfer {
                    from,
                    to,
                    sent,
                    received,
                    description,
                    date: t.date,
                    tags,
                }
            }
            _ => {
                return Err((
                    t.line,
                    format!(
                        "{} postings on asset or liability accounts with others: the service records a movement on one account, or a transfer between two",
                        moved.len()
                    ),
                ));
            }
        };
        self.books.entries.push(made);
        self.books.lines.push(t.line);
        self.books.assertions.extend(asserted);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn movement(
        &self,
        t: &RawTxn,
        account: usize,
        amount: Money,
        posting: &RawPosting,
        others: &[(&RawPosting, Amount)],
        description: String,
        tags: Vec<String>,
    ) -> Result<Entry, (u64, String)> {
        let currency = amount.currency();
        let mut parts = Vec::new();
        for (p, a) in others {
            let m = money(a).map_err(|e| (p.line, e))?;
            if p.price.is_some() || m.currency() != currency {
                let code = currency.code();
                let message =
                    format!("a category's posting must be in the account's currency ({code})");
                return Err((p.line, message));
            }
            let part = m
                .minor()
                .checked_neg()
                .ok_or((p.line, "out of range".to_string()))?;
            parts.push((self.category(&p.account), Money::from_minor(part, currency)));
        }
        let (category, splits) = match &parts[..] {
            [(category, _)] => (category.clone(), None),
            _ => {
                let split = |(c, m): &(Option<String>, Money)| SplitInput {
                    amount: m.to_string(),
                    category: c.clone().unwrap_or_else(|| UNCATEGORIZED.into()),
                    description: None,
                };
                (None, Some(parts.iter().map(split).collect()))
            }
        };
        let input = MovementInput {
            amount: amount.to_string(),
            description,
            category,
            occurred_on: None,
            splits,
            tags,
        };
        let mut movement = NewMovement::parse(&input, currency, self.today).map_err(|e| {
            let messages: Vec<String> = e
                .errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            (posting.line.min(t.line), messages.join("; "))
        })?;
        movement.occurred_on = t.date;
        Ok(Entry::Movement { account, movement })
    }
}

/// The service's tags of a transaction: its value-less ones (`trip:`, `#trip`).
fn tags(t: &RawTxn) -> Result<Vec<String>, (u64, String)> {
    let raw: Vec<String> = t
        .tags
        .iter()
        .filter(|(_, value)| value.is_empty())
        .map(|(name, _)| name.clone())
        .collect();
    parse_tags(&raw).map_err(|e| (t.line, e.to_string()))
}

/// Used by the price of a posting in [`super::balance`].
pub(super) fn weight(amount: &Amount, price: Option<&Price>) -> Option<Amount> {
    match price {
        None => Some(amount.clone()),
        Some(Price::Total(total)) => Some(Amount {
            value: if amount.value.is_negative() {
                total.value.neg()
            } else {
                total.value
            },
            commodity: total.commodity.clone(),
        }),
        Some(Price::Unit(unit)) => Some(Amount {
            value: amount.value.mul(unit.value)?,
            commodity: unit.commodity.clone(),
        }),
    }
}
