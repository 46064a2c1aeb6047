//! The text of a journal, piece by piece, in each tool's syntax: the declarations, each
//! movement and transfer as a balanced transaction, prices, balance assertions and the
//! opening balances of a span.

use std::fmt::Write;

use time::Date;

use super::JournalFormat;
use super::names::JournalNames;
use crate::domain::{AccountId, Currency, Money, Movement, Transfer};

/// Writes the pieces of one journal.
pub struct JournalWriter<'a> {
    pub format: JournalFormat,
    pub names: &'a JournalNames,
}

/// The day Beancount opens every account and commodity on: before any movement.
pub const OPENED_ON: &str = "1970-01-01";

impl JournalWriter<'_> {
    fn root(&self, root: &str) -> String {
        match self.format {
            JournalFormat::Beancount => root.to_string(),
            _ => root.to_ascii_lowercase(),
        }
    }

    fn asset(&self, id: AccountId) -> String {
        let name = self.names.account(id).unwrap_or("Unknown");
        format!("{}:{name}", self.root("Assets"))
    }

    fn category(&self, category: Option<&str>, money: Money) -> String {
        // Money going out of the account is spent in the category; coming in, earned.
        let root = if money.minor() < 0 {
            "Expenses"
        } else {
            "Income"
        };
        format!("{}:{}", self.root(root), self.names.category(category))
    }

    fn equity(&self, what: &str) -> String {
        match self.format {
            JournalFormat::Beancount => format!("Equity:{}", super::names::component(what)),
            _ => format!("equity:{what}"),
        }
    }

    /// The header: the mapping of names as comments, then the declarations strict
    /// checking wants (every account that can appear, every commodity with its digits,
    /// and for ledger every metadata tag).
    pub fn header(&self, currencies: &[Currency], tags: &[String]) -> String {
        // `;` starts a comment in all three formats.
        let c = ";";
        let mut out = format!("{c} Exported by finance ({})\n", self.format.name());
        // With each account's currency: an import makes the accounts without movements too.
        let _ = writeln!(
            out,
            "{c} Accounts (journal name currency = name in finance):"
        );
        for (journal, name, currency) in self.names.accounts() {
            let _ = writeln!(
                out,
                "{c}   {}:{journal} {} = {}",
                self.root("Assets"),
                currency.code(),
                one_line(name)
            );
        }
        let _ = writeln!(out, "{c} Categories (name in finance = journal name):");
        for (category, journal) in self.names.categories() {
            let _ = writeln!(out, "{c}   {} = {journal}", one_line(category));
        }
        out.push('\n');
        let mut accounts: Vec<String> = self
            .names
            .accounts()
            .iter()
            .map(|(n, ..)| format!("{}:{n}", self.root("Assets")))
            .collect();
        for root in ["Expenses", "Income"] {
            for name in self.names.category_names() {
                accounts.push(format!("{}:{name}", self.root(root)));
            }
        }
        accounts.push(self.equity("opening-balances"));
        accounts.push(self.equity("transfers"));
        for code in currencies {
            let zero = Money::from_minor(0, *code);
            match self.format {
                JournalFormat::Hledger => {
                    // hledger wants a decimal mark even with no decimals (`0.`).
                    let mark = if code.exponent() == 0 { "." } else { "" };
                    let _ = writeln!(out, "commodity {zero}{mark} {}", code.code());
                }
                JournalFormat::Ledger => {
                    let _ = writeln!(
                        out,
                        "commodity {}\n    format {zero} {}",
                        code.code(),
                        code.code()
                    );
                }
                JournalFormat::Beancount => {
                    let _ = writeln!(out, "{OPENED_ON} commodity {}", code.code());
                }
            }
        }
        for a in &accounts {
            match self.format {
                JournalFormat::Beancount => {
                    let _ = writeln!(out, "{OPENED_ON} open {a}");
                }
                _ => {
                    let _ = writeln!(out, "account {a}");
                }
            }
        }
        if self.format == JournalFormat::Ledger {
            for tag in ["id", "created_by"]
                .iter()
                .copied()
                .chain(tags.iter().map(String::as_str))
            {
                let _ = writeln!(out, "tag {tag}");
            }
        }
        out.push('\n');
        out
    }

    /// The first line of a transaction, and its metadata lines.
    fn head(&self, date: Date, description: &str, m: &Movement) -> String {
        let mut out = String::new();
        let created_by = m.created_by.email.as_ref().map(|e| e.to_string());
        match self.format {
            JournalFormat::Beancount => {
                let tags: String = m.tags.iter().map(|t| format!(" #{t}")).collect();
                let _ = writeln!(out, "{date} * \"{}\"{tags}", quoted(description));
                let _ = writeln!(out, "  id: \"{}\"", m.id);
                if let Some(by) = created_by {
                    let _ = writeln!(out, "  created-by: \"{}\"", quoted(&by));
                }
            }
            JournalFormat::Hledger => {
                let mut meta = vec![format!("id:{}", m.id)];
                if let Some(by) = created_by {
                    meta.push(format!("created_by:{by}"));
                }
                meta.extend(m.tags.iter().map(|t| format!("{t}:")));
                let _ = writeln!(out, "{date} {}  ; {}", plain(description), meta.join(", "));
            }
            JournalFormat::Ledger => {
                let _ = writeln!(out, "{date} {}", plain(description));
                let _ = writeln!(out, "    ; id: {}", m.id);
                if let Some(by) = created_by {
                    let _ = writeln!(out, "    ; created_by: {by}");
                }
                if !m.tags.is_empty() {
                    let _ = writeln!(out, "    ; :{}:", m.tags.join(":"));
                }
            }
        }
        out
    }

    fn posting(&self, out: &mut String, account: &str, money: Money, rest: &str) {
        let indent = if self.format == JournalFormat::Beancount {
            "  "
        } else {
            "    "
        };
        let _ = writeln!(
            out,
            "{indent}{account}  {money} {}{rest}",
            money.currency().code()
        );
    }

    /// A movement (not a transfer leg): its account against its category, or against
    /// each part's.
    pub fn movement(&self, m: &Movement) -> String {
        let mut out = self.head(m.occurred_on, &m.description, m);
        self.posting(&mut out, &self.asset(m.account_id), m.amount, "");
        match &m.splits {
            Some(parts) => {
                for p in parts {
                    let negated = Money::from_minor(-p.amount.minor(), p.amount.currency());
                    self.posting(
                        &mut out,
                        &self.category(Some(&p.category), p.amount),
                        negated,
                        "",
                    );
                }
            }
            None => {
                let negated = Money::from_minor(-m.amount.minor(), m.amount.currency());
                self.posting(
                    &mut out,
                    &self.category(m.category.as_deref(), m.amount),
                    negated,
                    "",
                );
            }
        }
        out.push('\n');
        out
    }

    /// A transfer leg whose other account the user does not see: its account against
    /// `equity:transfers`.
    pub fn lone_leg(&self, m: &Movement) -> String {
        let mut out = self.head(m.occurred_on, &m.description, m);
        self.posting(&mut out, &self.asset(m.account_id), m.amount, "");
        let negated = Money::from_minor(-m.amount.minor(), m.amount.currency());
        self.posting(&mut out, &self.equity("transfers"), negated, "");
        out.push('\n');
        out
    }

    /// A transfer between two of the user's accounts: one transaction; across currencies
    /// the amount that left is priced at the total that arrived (`@@`).
    pub fn transfer(&self, t: &Transfer) -> String {
        let mut out = self.head(t.from.occurred_on, &t.from.description, &t.from);
        self.posting(&mut out, &self.asset(t.to.account_id), t.to.amount, "");
        let price = if t.from.amount.currency() == t.to.amount.currency() {
            String::new()
        } else {
            format!(" @@ {} {}", t.to.amount, t.to.amount.currency().code())
        };
        self.posting(
            &mut out,
            &self.asset(t.from.account_id),
            t.from.amount,
            &price,
        );
        out.push('\n');
        out
    }

    /// A rate: one unit of `base` was worth `rate` of `quote` on `day`.
    pub fn price(&self, day: Date, base: Currency, quote: Currency, rate: &str) -> String {
        match self.format {
            JournalFormat::Beancount => {
                format!("{day} price {} {rate} {}\n", base.code(), quote.code())
            }
            _ => format!("P {day} {} {rate} {}\n", base.code(), quote.code()),
        }
    }

    /// A reconciliation: the account held `balance` at the end of `date`. (Beancount
    /// checks a balance at the start of its day, so the next one.)
    pub fn assertion(&self, account: AccountId, date: Date, balance: Money) -> String {
        let currency = balance.currency();
        let code = currency.code();
        match self.format {
            JournalFormat::Beancount => {
                let next = date.next_day().unwrap_or(date);
                format!(
                    "{next} balance {} {balance} {code}\n\n",
                    self.asset(account)
                )
            }
            _ => {
                let zero = Money::from_minor(0, balance.currency());
                format!(
                    "{date} Reconciled with the bank statement\n    {}  {zero} {code} = {balance} {code}\n\n",
                    self.asset(account)
                )
            }
        }
    }

    /// What the account held before a span began, brought in from equity.
    pub fn opening(&self, on: Date, account: AccountId, balance: Money) -> String {
        let mut out = match self.format {
            JournalFormat::Beancount => format!("{on} * \"Opening balance\"\n"),
            _ => format!("{on} Opening balance\n"),
        };
        self.posting(&mut out, &self.asset(account), balance, "");
        let negated = Money::from_minor(-balance.minor(), balance.currency());
        self.posting(&mut out, &self.equity("opening-balances"), negated, "");
        out.push('\n');
        out
    }
}

/// A description on one line, without the `;` that starts a comment in hledger and
/// ledger (it becomes `,`).
fn plain(text: &str) -> String {
    one_line(text).replace(';', ",")
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A Beancount string's content: `\` and `"` escaped.
fn quoted(text: &str) -> String {
    one_line(text).replace('\\', "\\\\").replace('"', "\\\"")
}
