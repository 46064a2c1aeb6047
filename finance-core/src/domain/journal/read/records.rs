//! A read journal as the records the store writes in one transaction: new accounts with
//! their balances, movements, transfers and reconciliations.

use std::collections::HashMap;

use time::{Date, OffsetDateTime};

use super::books::{Entry, JournalBooks};
use crate::domain::{
    Account, AccountId, ExchangeRate, Money, Movement, Reconciliation, ReconciliationId, Role,
    Transfer, UserId, UserRef,
};

/// What `POST /imports/journal` made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalImported {
    /// Accounts opened, one per asset or liability account of the journal.
    pub accounts: u64,
    /// Movements recorded (transfers' legs not counted).
    pub movements: u64,
    pub transfers: u64,
    /// Balance assertions that state a day's closing balance, recorded as
    /// reconciliations.
    pub reconciliations: u64,
    /// Prices between two currencies, recorded as rates (replacing one of the same
    /// pair and day).
    pub rates: u64,
}

/// The records of one import.
#[derive(Debug, Clone)]
pub struct JournalImport {
    pub accounts: Vec<Account>,
    /// Every movement in the journal's order, transfers' legs among them (the source's
    /// first): their order of entry is the file's.
    pub movements: Vec<Movement>,
    pub transfers: Vec<Transfer>,
    pub reconciliations: Vec<Reconciliation>,
    pub rates: Vec<ExchangeRate>,
}

impl JournalImport {
    /// The records of `books` for `owner`, made by `by` at `now`.
    pub fn new(books: JournalBooks, owner: UserId, by: &UserRef, now: OffsetDateTime) -> Self {
        // One after the other, in the journal's order: a later export names them alike.
        let made = |i: usize| now + time::Duration::microseconds(i as i64);
        let mut accounts: Vec<Account> = books
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| Account {
                id: AccountId::random(),
                owner_id: owner,
                owner_email: None,
                role: Role::Owner,
                name: a.name.clone(),
                currency: a.currency,
                balance: Money::zero(a.currency),
                archived: false,
                created_at: made(i),
                reconciled_on: None,
            })
            .collect();
        let mut movements = Vec::new();
        let mut transfers = Vec::new();
        for entry in books.entries {
            for (account, delta) in entry.deltas() {
                let a = &mut accounts[account];
                // Checked when the assertions were: an i128 sum; the store checks again.
                a.balance =
                    Money::from_minor(a.balance.minor().saturating_add(delta.minor()), a.currency);
            }
            match entry {
                Entry::Movement { account, movement } => {
                    movements.push(movement.into_movement(accounts[account].id, now, by));
                }
                Entry::Transfer {
                    from,
                    to,
                    sent,
                    received,
                    description,
                    date,
                    tags,
                } => {
                    let mut t = Transfer::between(
                        (accounts[from].id, sent),
                        (accounts[to].id, received),
                        description,
                        date,
                        now,
                        by,
                    );
                    t.from.tags.clone_from(&tags);
                    t.to.tags = tags;
                    movements.push(t.from.clone());
                    movements.push(t.to.clone());
                    transfers.push(t);
                }
            }
        }
        // Each account's movement dates, sorted once: a reconciliation locks those in
        // (its previous day, its day], counted by two binary searches.
        let index: HashMap<AccountId, usize> = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i))
            .collect();
        let mut dates: Vec<Vec<Date>> = vec![Vec::new(); accounts.len()];
        for m in &movements {
            if let Some(i) = index.get(&m.account_id) {
                dates[*i].push(m.occurred_on);
            }
        }
        for d in &mut dates {
            d.sort_unstable();
        }
        let mut reconciliations = Vec::new();
        for c in &books.reconciliations {
            let account = &mut accounts[c.account];
            let on_account = &dates[c.account];
            let through =
                |day: Option<Date>| day.map_or(0, |d| on_account.partition_point(|m| *m <= d));
            let locked = through(Some(c.day)).saturating_sub(through(account.reconciled_on));
            reconciliations.push(Reconciliation {
                id: ReconciliationId::random(),
                account_id: account.id,
                date: c.day,
                balance: c.balance,
                currency: account.currency,
                locked: locked as u64,
                created_at: now,
                created_by: owner,
            });
            account.reconciled_on = Some(c.day);
        }
        let reconciled = |m: &Movement| {
            index
                .get(&m.account_id)
                .and_then(|i| accounts[*i].reconciled_on)
                .is_some_and(|r| m.occurred_on <= r)
        };
        for m in &mut movements {
            m.reconciled = reconciled(m);
        }
        for t in &mut transfers {
            t.from.reconciled = reconciled(&t.from);
            t.to.reconciled = reconciled(&t.to);
        }
        Self {
            accounts,
            movements,
            transfers,
            reconciliations,
            rates: books.rates,
        }
    }

    pub fn counts(&self) -> JournalImported {
        JournalImported {
            accounts: self.accounts.len() as u64,
            movements: self
                .movements
                .iter()
                .filter(|m| m.transfer_id.is_none())
                .count() as u64,
            transfers: self.transfers.len() as u64,
            reconciliations: self.reconciliations.len() as u64,
            rates: self.rates.len() as u64,
        }
    }
}
