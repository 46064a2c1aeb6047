//! The commands that find and sum: search, categories, reports, budgets.

use finance_client::Finance;
use finance_core::domain::{
    Account, BudgetInput, BudgetQueryInput, CashFlowQueryInput, MovementQueryInput,
    ReportQueryInput,
};

use crate::cli::{BudgetCommand, ReportCommand, ReportRange};
use crate::lookup::describe;
use crate::output::Out;

pub async fn search(
    f: &dyn Finance,
    account: Option<&Account>,
    mut query: MovementQueryInput,
    all: bool,
    out: &Out,
) -> Result<(), String> {
    let mut items = Vec::new();
    let more = loop {
        let page = match account {
            Some(a) => f.movements(a, &query).await,
            None => f.search(&query).await,
        }
        .map_err(|e| describe(e, f))?;
        items.extend(page.items);
        match page.next_cursor {
            Some(c) if all => query.cursor = Some(c.encode()),
            next => break next.is_some(),
        }
    };
    if out.json() {
        out.value(&items);
        return Ok(());
    }
    let accounts = f.profile().await.map_err(|e| describe(e, f))?.accounts;
    let rows: Vec<(String, _)> = items
        .into_iter()
        .map(|m| {
            let name = accounts
                .iter()
                .find(|a| a.id == m.account_id)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            (name, m)
        })
        .collect();
    out.found(&rows);
    if more {
        out.line("(more: --all lists every page)");
    }
    Ok(())
}

pub async fn categories(f: &dyn Finance, out: &Out) -> Result<(), String> {
    let list = f.categories().await.map_err(|e| describe(e, f))?;
    if out.json() {
        out.value(&list);
    } else {
        out.categories(&list);
    }
    Ok(())
}

fn query(range: ReportRange) -> ReportQueryInput {
    ReportQueryInput {
        from: range.from,
        to: range.to,
        step: range.step,
        currency: range.currency,
    }
}

pub async fn report(f: &dyn Finance, command: ReportCommand, out: &Out) -> Result<(), String> {
    match command {
        ReportCommand::CashFlow { range, tag } => {
            let r = f
                .cash_flow(&CashFlowQueryInput {
                    tag,
                    ..query(range).into()
                })
                .await
                .map_err(|e| describe(e, f))?;
            if out.json() {
                out.value(&r);
            } else {
                out.cash_flow(&r);
            }
        }
        ReportCommand::NetWorth(range) => {
            let r = f
                .net_worth_report(&query(range))
                .await
                .map_err(|e| describe(e, f))?;
            if out.json() {
                out.value(&r);
            } else {
                out.net_worth_report(&r);
            }
        }
    }
    Ok(())
}

pub async fn budget(
    f: &dyn Finance,
    command: Option<BudgetCommand>,
    month: Option<String>,
    out: &Out,
) -> Result<(), String> {
    let fail = |e| describe(e, f);
    match command {
        Some(BudgetCommand::Set {
            category,
            amount,
            currency,
        }) => {
            let b = f
                .set_budget(&category, &BudgetInput { amount, currency })
                .await
                .map_err(fail)?;
            if out.json() {
                out.value(&b);
            } else {
                out.line(&format!(
                    "Budget for {}: {} {} a month",
                    b.category, b.amount, b.currency
                ));
            }
        }
        Some(BudgetCommand::Delete { category }) => {
            f.delete_budget(&category).await.map_err(fail)?;
            if out.json() {
                out.value(&serde_json::json!({ "deleted": category }));
            } else {
                out.line(&format!("Deleted the budget for {category}"));
            }
        }
        None => {
            let list = f.budgets(&BudgetQueryInput { month }).await.map_err(fail)?;
            if out.json() {
                out.value(&list);
            } else {
                out.budgets(&list);
            }
        }
    }
    Ok(())
}
