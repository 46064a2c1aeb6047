//! The commands about reconciling, balances on a day and history.

use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::{
    HistoryQueryInput, MovementQueryInput, ReconciliationInput, parse_date,
};

use crate::cli::Command;
use crate::lookup::{describe, find};
use crate::output::Out;

/// How many days before a statement's date a mismatch shows the movements of.
const LOOK_BACK_DAYS: i64 = 7;

/// Runs `reconcile`, `reconciliations`, `balance` and `history`.
pub async fn run(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        Command::Reconcile {
            account,
            date,
            balance,
            undo,
        } => {
            let account = find(f, &account).await?;
            if undo {
                return undo_latest(f, &account, out).await;
            }
            let input = ReconciliationInput {
                date: date.unwrap_or_default(),
                balance: balance.unwrap_or_default(),
            };
            match f.reconcile(&account, &input).await {
                Ok(r) if out.json() => out.value(&r),
                Ok(r) => out.line(&format!(
                    "Reconciled {} through {} at {}: {} movement(s) locked.",
                    account.name,
                    r.date,
                    out.money(r.balance),
                    r.locked
                )),
                Err(Error::Unreconciled { difference }) => {
                    return Err(mismatch(f, &account, &input.date, &difference, out).await);
                }
                Err(e) => return Err(fail(e)),
            }
        }
        Command::Reconciliations { account } => {
            let account = find(f, &account).await?;
            let list = f.reconciliations(&account).await.map_err(fail)?;
            if out.json() {
                out.value(&list)
            } else {
                out.reconciliations(&list)
            }
        }
        Command::Balance { account, on } => {
            let account = find(f, &account).await?;
            let b = f.balance_on(&account, on.as_deref()).await.map_err(fail)?;
            if out.json() {
                out.value(&b)
            } else {
                out.line(&format!(
                    "{} at the end of {}: {}",
                    account.name,
                    b.date,
                    out.money(b.balance)
                ))
            }
        }
        Command::History {
            account,
            movement,
            limit,
            all,
        } => {
            let account = find(f, &account).await?;
            let mut query = HistoryQueryInput {
                entity_id: movement,
                limit: Some(limit),
                cursor: None,
            };
            let mut items = Vec::new();
            let more = loop {
                let page = f.history(&account, &query).await.map_err(fail)?;
                items.extend(page.items);
                match page.next_cursor {
                    Some(c) if all => query.cursor = Some(c),
                    next => break next.is_some(),
                }
            };
            if out.json() {
                out.value(&items)
            } else {
                out.history(&items);
                if more {
                    out.line("(more: --all lists every page)");
                }
            }
        }
        _ => {}
    }
    Ok(())
}

async fn undo_latest(
    f: &dyn Finance,
    account: &finance_core::domain::Account,
    out: &Out,
) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    let list = f.reconciliations(account).await.map_err(fail)?;
    let latest = list
        .items
        .first()
        .ok_or_else(|| format!("{} has no reconciliation to undo", account.name))?;
    f.delete_reconciliation(account, latest.id)
        .await
        .map_err(fail)?;
    out.line(&format!(
        "Removed the reconciliation of {} through {}; what it locked is unlocked.",
        account.name, latest.date
    ));
    Ok(())
}

/// Shows the movements of the days up to the statement's date, to find the difference
/// in, and answers the line that says it.
async fn mismatch(
    f: &dyn Finance,
    account: &finance_core::domain::Account,
    date: &str,
    difference: &str,
    out: &Out,
) -> String {
    let said = format!(
        "the statement does not match: it differs from the ledger by {difference} {} \
         (statement less ledger); nothing was locked",
        account.currency
    );
    let Ok(to) = parse_date("date", date.trim()) else {
        return said;
    };
    let from = to - time::Duration::days(LOOK_BACK_DAYS - 1);
    let query = MovementQueryInput {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        limit: Some("200".into()),
        ..Default::default()
    };
    if let Ok(page) = f.movements(account, &query).await
        && !out.json()
    {
        out.line(&format!("Movements from {from} to {to}:"));
        out.movements(&page.items);
    }
    said
}
