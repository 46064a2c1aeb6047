//! The journal's accounts as the service's: which postings are on accounts, their
//! names (an export's header says what they were), currencies and categories.

use std::collections::HashMap;

use super::super::UNCATEGORIZED;
use super::books::{Entry, JournalAccount};
use super::lex::Amount;
use super::reader::Reader;
use crate::domain::error::text;
use crate::domain::{ACCOUNT_NAME_MAX, Currency, ExchangeRate, Money, Rate};

/// Postings on these roots are accounts; the rest say where money went or came from.
pub(super) fn is_account(journal_name: &str) -> bool {
    let root = journal_name.split(':').next().unwrap_or("").to_lowercase();
    matches!(
        root.as_str(),
        "assets" | "asset" | "liabilities" | "liability"
    )
}

fn under_root(journal_name: &str) -> Option<&str> {
    journal_name.split_once(':').map(|(_, rest)| rest)
}

/// A known currency for a commodity: its ISO code, or one of the common symbols.
fn currency(commodity: &str) -> Result<Currency, String> {
    let code = match commodity {
        "$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        c => c,
    };
    Currency::parse(code).map_err(|_| {
        format!(
            "{commodity:?} is not a currency the service knows: use an ISO 4217 code such as EUR"
        )
    })
}

pub(super) fn money(a: &Amount) -> Result<Money, String> {
    let currency = currency(&a.commodity)?;
    a.value
        .to_minor(currency.exponent())
        .map(|m| Money::from_minor(m, currency))
        .ok_or_else(|| {
            format!(
                "{} has more decimals than {} has ({}), or is out of range: nothing is rounded",
                a.commodity,
                currency.code(),
                currency.exponent()
            )
        })
}

impl Reader<'_> {
    /// The prices, as rates: between two currencies the service knows.
    pub(super) fn rates(&mut self) {
        for p in &self.raw.prices {
            let read = currency(&p.base).and_then(|base| {
                let quote = currency(&p.price.commodity)?;
                if base == quote {
                    return Err("a price between a currency and itself".to_string());
                }
                let rate = Rate::parse(&p.price.value.to_string())
                    .map_err(|e| format!("the rate {}", e.errors[0].message))?;
                Ok(ExchangeRate {
                    base,
                    quote,
                    date: p.date,
                    rate,
                })
            });
            match read {
                Ok(r) => self.books.rates.push(r),
                Err(e) => self.problems.push(p.line, e),
            }
        }
    }

    /// The accounts an export's header lists, in its order (the order they were made in),
    /// then the others as first used.
    pub(super) fn in_header_order(&mut self) {
        let listed: HashMap<String, usize> = self
            .raw
            .listed
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (name.to_lowercase(), i))
            .collect();
        let mut order: Vec<usize> = (0..self.books.accounts.len()).collect();
        order.sort_by_key(|i| {
            let name = self.books.accounts[*i].journal_name.to_lowercase();
            (listed.get(&name).copied().unwrap_or(usize::MAX), *i)
        });
        let mut moved_to = vec![0; order.len()];
        for (new, old) in order.iter().enumerate() {
            moved_to[*old] = new;
        }
        let old = std::mem::take(&mut self.books.accounts);
        let mut slots: Vec<Option<JournalAccount>> = old.into_iter().map(Some).collect();
        self.books.accounts = order.iter().filter_map(|i| slots[*i].take()).collect();
        for e in &mut self.books.entries {
            match e {
                Entry::Movement { account, .. } => *account = moved_to[*account],
                Entry::Transfer { from, to, .. } => {
                    *from = moved_to[*from];
                    *to = moved_to[*to];
                }
            }
        }
        for a in &mut self.books.assertions {
            a.account = moved_to[a.account];
        }
    }

    /// The index of a journal account, made on its first use (its currency from an
    /// `open`, else from this posting).
    pub(super) fn account(
        &mut self,
        line: u64,
        journal_name: &str,
        first: Option<&Amount>,
    ) -> Result<usize, (u64, String)> {
        if let Some(i) = self.index.get(journal_name) {
            return Ok(*i);
        }
        let lower = journal_name.to_lowercase();
        let opened = self.raw.currencies.get(journal_name).map(|(_, c)| c);
        let listed = self
            .raw
            .listed
            .iter()
            .find(|(n, _)| n.to_lowercase() == lower)
            .and_then(|(_, c)| c.as_ref());
        let commodity = opened.or(listed).map(String::as_str);
        let commodity = commodity.or(first.map(|a| a.commodity.as_str())).ok_or((
            line,
            format!("{journal_name}: its first posting needs an amount, to know its currency"),
        ))?;
        let currency = currency(commodity).map_err(|e| (line, e))?;
        let name = self.name_for(journal_name);
        let name = text("name", &name, ACCOUNT_NAME_MAX).map_err(|e| {
            (
                line,
                format!("{journal_name}: the account's name {}", e.errors[0].message),
            )
        })?;
        let i = self.books.accounts.len();
        self.books.accounts.push(JournalAccount {
            line,
            journal_name: journal_name.to_string(),
            name,
            currency,
        });
        self.index.insert(journal_name.to_string(), i);
        Ok(i)
    }

    /// The accounts opened (Beancount's `open` with a currency) or listed in an export's
    /// header that no posting uses: accounts too, with nothing on them yet.
    pub(super) fn unused_accounts(&mut self) {
        let used: Vec<String> = self
            .books
            .accounts
            .iter()
            .map(|a| a.journal_name.to_lowercase())
            .collect();
        let mut opened: Vec<(u64, &String)> = self
            .raw
            .currencies
            .iter()
            .map(|(name, (line, _))| (*line, name))
            .collect();
        opened.sort();
        let names: Vec<(u64, String)> = opened
            .into_iter()
            .map(|(line, name)| (line, name.clone()))
            .chain(
                self.raw
                    .listed
                    .iter()
                    .filter(|(_, c)| c.is_some())
                    .map(|(name, _)| (1, name.clone())),
            )
            .filter(|(_, name)| is_account(name) && !used.contains(&name.to_lowercase()))
            .collect();
        for (line, name) in names {
            if self
                .books
                .accounts
                .iter()
                .any(|a| a.journal_name.eq_ignore_ascii_case(&name))
            {
                continue;
            }
            if let Err(e) = self.account(line, &name, None) {
                self.problems.push(e.0, e.1);
            }
        }
    }

    /// The name an export of ours gave it, else its name under the root (the whole name
    /// when another account has that one already).
    fn name_for(&self, journal_name: &str) -> String {
        let taken = |n: &str| self.books.accounts.iter().any(|a| a.name == n);
        let named = self.raw.account_names.get(&journal_name.to_lowercase());
        let short = under_root(journal_name).unwrap_or(journal_name);
        let base = match named {
            Some(name) => name.as_str(),
            None if taken(short) => journal_name,
            None => short,
        };
        // Two accounts of one name (a member's export holds others' accounts too).
        (1..)
            .map(|i| match i {
                1 => base.to_string(),
                i => format!("{base} ({i})"),
            })
            .find(|n| !taken(n))
            .unwrap_or_else(|| base.to_string())
    }

    pub(super) fn in_account(
        &self,
        account: usize,
        amount: &Amount,
        line: u64,
    ) -> Result<Money, (u64, String)> {
        let m = money(amount).map_err(|e| (line, e))?;
        let a = &self.books.accounts[account];
        if m.currency() != a.currency {
            return Err((
                line,
                format!(
                    "{} holds {}: a posting in {} needs an account of its own",
                    a.journal_name,
                    a.currency.code(),
                    m.currency().code()
                ),
            ));
        }
        Ok(m)
    }

    /// The category a posting names: the name under `expenses`/`income` (as our export
    /// wrote it, when its header says), none for `equity` or `uncategorized`.
    pub(super) fn category(&self, journal_name: &str) -> Option<String> {
        let (root, rest) = journal_name.split_once(':').unwrap_or((journal_name, ""));
        let root = root.to_lowercase();
        if root == "equity" {
            return None;
        }
        let name = if rest.is_empty() {
            journal_name
        } else if matches!(
            root.as_str(),
            "expenses" | "expense" | "income" | "revenue" | "revenues"
        ) {
            rest
        } else {
            journal_name
        };
        if name.eq_ignore_ascii_case(UNCATEGORIZED) {
            return None;
        }
        Some(
            self.raw
                .category_names
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string()),
        )
    }
}
