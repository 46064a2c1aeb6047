//! Budgets: this month's (or another month's) limits with what was spent, and the forms
//! that set and remove one.

use finance_core::domain::{BudgetInput, BudgetList, BudgetQueryInput};
use maud::{Markup, html};
use serde::Deserialize;
use warp::Filter;
use warp::reply::Response;

use super::charts::budget_bar;
use super::form::Form;
use super::format::{money, sign_class};
use super::layout::{Nav, Notice, csrf, failed, html, page, see};
use super::session::{Session, posted, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

#[derive(Debug, Default, Deserialize)]
struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

pub(super) fn routes(ctx: Ctx) -> Route {
    let show = warp::path!("budgets")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx.clone()))
        .and(warp::query::<MonthQuery>())
        .then(|ctx: Ctx, s: Session, q: MonthQuery| async move {
            budgets_page(&ctx, &s, q.month.filter(|m| !m.is_empty()), Notice::None).await
        });
    let set = warp::path!("budgets")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(set);
    let delete = warp::path!("budgets" / "delete")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx))
        .then(delete);
    show.or(set).unify().or(delete).unify().boxed()
}

async fn set(ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let category = form.text("category");
    let input = BudgetInput {
        amount: form.text("amount").trim().to_string(),
        currency: form.text("currency").trim().to_uppercase(),
    };
    let done = ctx
        .run(move |app| async move { app.set_budget(user, &category, &input).await })
        .await;
    match done {
        Ok(_) => see("/budgets"),
        Err(e) => budgets_page(&ctx, &s, None, Notice::of(e).1).await,
    }
}

async fn delete(ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let category = form.text("category");
    let done = ctx
        .run(move |app| async move { app.delete_budget(user, &category).await })
        .await;
    match done {
        Ok(()) => see("/budgets"),
        Err(e) => budgets_page(&ctx, &s, None, Notice::of(e).1).await,
    }
}

async fn budgets_page(ctx: &Ctx, s: &Session, month: Option<String>, notice: Notice) -> Response {
    let user = s.user();
    let input = BudgetQueryInput { month };
    let read = ctx
        .run(move |app| async move { app.list_budgets(user, &input).await })
        .await;
    let list = match read {
        Ok(list) => list,
        Err(e) => return failed(s, e),
    };
    let status = notice.status();
    let body = html! {
        form.search method="get" action="/budgets" {
            label for="month" { "Month" }
            input id="month" name="month" type="month" value=(list.month);
            button type="submit" { "Show" }
        }
        @if list.items.is_empty() { p { "No budgets yet." } } @else { (budget_rows(&list, Some(s))) }
        form.card method="post" action="/budgets" {
            h2 { "Set a monthly budget" }
            (csrf(s))
            label for="budget-category" { "Category" }
            input id="budget-category" name="category" required maxlength="50";
            label for="budget-amount" { "Limit per month" }
            input id="budget-amount" name="amount" required inputmode="decimal";
            label for="budget-currency" { "Currency" }
            input id="budget-currency" name="currency" required maxlength="3" value="EUR";
            button type="submit" { "Set budget" }
        }
    };
    html(
        status,
        page("Budgets", Some(s), Nav::Budgets, &notice, body),
    )
}

/// One row per budget: limit, spent, what remains and a bar; with `session`, a remove
/// button each.
pub(super) fn budget_rows(list: &BudgetList, session: Option<&Session>) -> Markup {
    html! {
        table.budgets {
            thead { tr {
                th scope="col" { "Category" } th.num scope="col" { "Limit" } th.num scope="col" { "Spent" }
                th.num scope="col" { "Remaining" } th scope="col" { "Used" }
                @if session.is_some() { th scope="col" { span.visually-hidden { "Actions" } } }
            } }
            tbody {
                @for b in &list.items {
                    tr {
                        th scope="row" { (b.category) }
                        td.num { (money(b.amount, b.currency)) }
                        td.num { (money(b.spent, b.currency)) }
                        td class=(sign_class(b.remaining.minor())) { (money(b.remaining, b.currency)) }
                        td { (budget_bar(b.spent.minor(), b.amount.minor().into())) }
                        @if let Some(s) = session {
                            td { form.inline method="post" action="/budgets/delete" {
                                (csrf(s))
                                input type="hidden" name="category" value=(b.category);
                                button.danger type="submit" aria-label={"Remove the budget of " (b.category)} { "Remove" }
                            } }
                        }
                    }
                }
            }
        }
    }
}
