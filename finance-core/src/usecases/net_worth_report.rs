use std::collections::{BTreeMap, HashMap};

use super::{App, Error};
use crate::domain::{
    AccountId, CategoryTotal, Money, MoneySum, NetWorthPoint, NetWorthReport, ReportQueryInput,
    UserId, net_worth, periods,
};

impl App {
    /// What the owner owned at the end of each period: each account's balance then (its
    /// balance now less what moved after), converted into `currency` (else the base
    /// currency) at that day's rates, each balance rounded once, with what had no rate
    /// named; and per currency, unconverted.
    pub async fn net_worth_report(
        &self,
        owner: UserId,
        input: &ReportQueryInput,
    ) -> Result<NetWorthReport, Error> {
        let query = self.report_query(owner, input).await?;
        let spans = periods(query.from, query.to, query.step);
        let first = spans.first().map(|p| p.end).unwrap_or(query.to);
        let history = self.reports.balance_history(owner, first).await?;
        let now: HashMap<AccountId, i64> = history.balances.into_iter().collect();
        let changes = history.changes;
        // Balances as the history read them; an account it did not see yet (a replica a
        // moment behind) is left out, with its movements, rather than half counted.
        let accounts: Vec<_> = self
            .accounts
            .list_accounts(owner)
            .await?
            .into_iter()
            .filter_map(|mut a| {
                a.balance = Money::from_minor(*now.get(&a.id)?, a.currency);
                Some(a)
            })
            .collect();
        let mut points = Vec::with_capacity(spans.len());
        for p in spans {
            let mut then = accounts.clone();
            for a in &mut then {
                let later: i128 = changes
                    .iter()
                    .filter(|(id, day, _)| *id == a.id && *day > p.end)
                    .map(|(_, _, sum)| *sum)
                    .sum();
                let minor = i128::from(a.balance.minor()) - later;
                // A past balance always fitted an i64 (the store checks every step).
                a.balance = Money::from_minor(
                    i64::try_from(minor).unwrap_or(a.balance.minor()),
                    a.currency,
                );
            }
            let mut totals: BTreeMap<_, MoneySum> = BTreeMap::new();
            for a in &then {
                let t = totals
                    .entry(a.currency)
                    .or_insert_with(|| MoneySum::zero(a.currency));
                *t = t.plus_minor(i128::from(a.balance.minor()));
            }
            let (amount, missing) = match query.currency {
                Some(currency) => {
                    let book = self.rate_book_on(owner, p.end).await?;
                    let worth = net_worth(&then, &book, currency, p.end);
                    (Some(worth.amount), worth.missing)
                }
                None => (None, Vec::new()),
            };
            points.push(NetWorthPoint {
                date: p.end,
                amount,
                missing,
                totals: totals
                    .into_iter()
                    .map(|(currency, amount)| CategoryTotal { currency, amount })
                    .collect(),
            });
        }
        Ok(NetWorthReport {
            currency: query.currency,
            step: query.step,
            points,
        })
    }
}
