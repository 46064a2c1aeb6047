use std::collections::BTreeSet;

use time::Date;
use tokio::sync::mpsc::Sender;

use super::{App, Error};
use crate::domain::{
    Account, AccountId, Currency, ExportQuery, ExportQueryInput, JournalNames, JournalWriter,
    Money, Movement, MovementQuery, RateQueryInput, UserId,
};

/// Movements read at a time: the export holds one page, never the books.
const PAGE: u16 = 1000;
/// Text handed on at a time.
const CHUNK: usize = 64 * 1024;

/// An export checked and ready to write: what goes before the movements is read; the
/// movements are read page by page as they are written.
pub struct JournalExport {
    app: App,
    user: UserId,
    query: ExportQuery,
    accounts: Vec<Account>,
    names: JournalNames,
    header: String,
    prices: String,
    /// `(date, account, balance)` of every reconciliation in the span, by date.
    assertions: Vec<(Date, AccountId, Money)>,
}

impl App {
    /// Prepares the user's books as a journal in the asked format: every account they can
    /// see, its movements and transfers, rates, reconciliations; refused (before anything
    /// is written) if the query is not one.
    pub async fn journal(
        &self,
        user: UserId,
        input: &ExportQueryInput,
    ) -> Result<JournalExport, Error> {
        let query = ExportQuery::parse(input)?;
        let accounts = self.list_accounts(user).await?;
        let categories: Vec<String> = self
            .reports
            .category_sums(user)
            .await?
            .into_iter()
            .filter_map(|c| c.name)
            .collect();
        let tags: Vec<String> = self
            .reports
            .tag_counts(user)
            .await?
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let names = JournalNames::new(&accounts, &categories);
        let writer = JournalWriter {
            format: query.format,
            names: &names,
        };
        let mut currencies: BTreeSet<Currency> = accounts.iter().map(|a| a.currency).collect();
        let mut prices = String::new();
        let mut cursor = None;
        loop {
            let page = self
                .list_rates(
                    user,
                    &RateQueryInput {
                        to: query.to.map(|d| d.to_string()),
                        limit: Some("200".into()),
                        cursor: cursor.clone(),
                        ..RateQueryInput::default()
                    },
                )
                .await?;
            for r in &page.items {
                currencies.extend([r.base, r.quote]);
                prices.push_str(&writer.price(r.date, r.base, r.quote, &r.rate.to_string()));
            }
            match page.next_cursor {
                Some(c) => cursor = Some(c.encode()),
                None => break,
            }
        }
        let currencies: Vec<Currency> = currencies.into_iter().collect();
        let header = writer.header(&currencies, &tags);
        let mut assertions = Vec::new();
        for a in &accounts {
            for r in self.reconciliations.reconciliations(user, a.id).await? {
                let inside =
                    query.from.is_none_or(|f| r.date >= f) && query.to.is_none_or(|t| r.date <= t);
                if inside {
                    assertions.push((r.date, a.id, r.balance));
                }
            }
        }
        assertions.sort_by_key(|(d, a, _)| (*d, *a));
        Ok(JournalExport {
            app: self.clone(),
            user,
            query,
            accounts,
            names,
            header,
            prices,
            assertions,
        })
    }
}

impl JournalExport {
    /// The file's usual name for its format.
    pub fn file_name(&self) -> &'static str {
        match self.query.format {
            crate::domain::JournalFormat::Hledger => "finance.journal",
            crate::domain::JournalFormat::Ledger => "finance.ledger",
            crate::domain::JournalFormat::Beancount => "finance.beancount",
        }
    }

    /// Writes the journal to `out` in chunks; stops early (without an error) when the
    /// reader is gone.
    pub async fn write(self, out: Sender<String>) -> Result<(), Error> {
        let writer = JournalWriter {
            format: self.query.format,
            names: &self.names,
        };
        let mut buf = Out {
            text: String::new(),
            out,
            gone: false,
        };
        buf.push(&self.header).await?;
        buf.push(&self.prices).await?;
        if let Some(from) = self.query.from {
            let before = from.previous_day().unwrap_or(from);
            for a in &self.accounts {
                let balance = self
                    .app
                    .reconciliations
                    .balance_on(self.user, a.id, before)
                    .await?
                    .balance;
                if balance.minor() != 0 {
                    buf.push(&writer.opening(from, a.id, balance)).await?;
                }
            }
        }
        let mut assertions = self.assertions.iter().peekable();
        let mut query = MovementQuery {
            limit: PAGE,
            from: self.query.from,
            to: self.query.to,
            oldest_first: true,
            ..MovementQuery::default()
        };
        loop {
            let page = self
                .app
                .movements
                .list_movements(&self.accounts, &query)
                .await?;
            for m in &page.items {
                while let Some((day, account, balance)) =
                    assertions.next_if(|(d, ..)| *d < m.occurred_on)
                {
                    buf.push(&writer.assertion(*account, *day, *balance))
                        .await?;
                }
                let text = self.transaction(&writer, m).await?;
                buf.push(&text).await?;
            }
            match page.next_cursor {
                Some(c) if !buf.gone => query.cursor = Some(c),
                _ => break,
            }
        }
        for (day, account, balance) in assertions {
            buf.push(&writer.assertion(*account, *day, *balance))
                .await?;
        }
        buf.flush().await
    }

    /// A movement's transaction: a transfer once, on its leg that left (both accounts
    /// seen), or each leg alone against equity when the user sees only its side.
    async fn transaction(&self, writer: &JournalWriter<'_>, m: &Movement) -> Result<String, Error> {
        let Some(tid) = m.transfer_id else {
            return Ok(writer.movement(m));
        };
        let Some(t) = self.app.transfers.get_transfer(self.user, tid).await? else {
            return Ok(writer.lone_leg(m));
        };
        let seen = |id: AccountId| self.accounts.iter().any(|a| a.id == id);
        Ok(match (seen(t.from.account_id), seen(t.to.account_id)) {
            (true, true) if m.id == t.from.id => writer.transfer(&t),
            (true, true) => String::new(),
            _ => writer.lone_leg(m),
        })
    }
}

/// Text gathered into chunks for the reader; `gone` once the reader went away (the
/// export then ends quietly: nobody reads the rest).
struct Out {
    text: String,
    out: Sender<String>,
    gone: bool,
}

impl Out {
    async fn push(&mut self, piece: &str) -> Result<(), Error> {
        self.text.push_str(piece);
        if self.text.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Error> {
        let chunk = std::mem::take(&mut self.text);
        if !chunk.is_empty() && !self.gone && self.out.send(chunk).await.is_err() {
            self.gone = true;
        }
        Ok(())
    }
}
