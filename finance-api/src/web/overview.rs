//! The overview: net worth, every account with its balance, this month's budgets and a
//! twelve-month cash-flow chart; and the form that creates an account.

use finance_core::domain::{
    Account, AccountInput, BudgetList, BudgetQueryInput, CashFlowQueryInput, CashFlowReport,
    InvitationList, Profile, ProfileQueryInput, Role,
};
use maud::{Markup, html};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::charts;
use super::form::Form;
use super::format::{money, sign_class};
use super::layout::{Nav, Notice, csrf, failed, html, page, see};
use super::session::{Session, optional_session, posted};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

pub(super) fn routes(ctx: Ctx) -> Route {
    let show = warp::path::end()
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(optional_session(ctx.clone()))
        .then(|ctx: Ctx, s: Option<Session>| async move {
            match s {
                Some(s) => overview(&ctx, &s, Notice::None, &Form::default()).await,
                None => see("/signin"),
            }
        });
    let create = warp::path!("accounts")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx))
        .then(create_account);
    show.or(create).unify().boxed()
}

async fn create_account(ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let input = AccountInput {
        name: form.text("name"),
        currency: form.text("currency").trim().to_uppercase(),
    };
    match ctx
        .run(move |app| async move { app.create_account(user, &input).await })
        .await
    {
        Ok(account) => see(&format!("/accounts/{}", account.id)),
        Err(e) => {
            let (status, notice) = Notice::of(e);
            with_status(overview(&ctx, &s, notice, &form).await, status)
        }
    }
}

fn with_status(mut res: Response, status: StatusCode) -> Response {
    if res.status().is_success() {
        *res.status_mut() = status;
    }
    res
}

/// Everything the overview shows, read at once.
struct Overview {
    profile: Profile,
    budgets: BudgetList,
    flow: CashFlowReport,
    invitations: InvitationList,
}

pub(super) async fn overview(ctx: &Ctx, s: &Session, notice: Notice, draft: &Form) -> Response {
    let user = s.user();
    let read = ctx
        .run(move |app| async move {
            let (profile_query, budget_query) =
                (ProfileQueryInput::default(), BudgetQueryInput::default());
            let flow_query = CashFlowQueryInput::default();
            let (profile, budgets, flow, invitations) = tokio::join!(
                app.get_profile(user, &profile_query),
                app.list_budgets(user, &budget_query),
                app.cash_flow_report(user, &flow_query),
                app.list_invitations(user),
            );
            Ok(Overview {
                profile: profile?,
                budgets: budgets?,
                flow: flow?,
                invitations: invitations?,
            })
        })
        .await;
    match read {
        Ok(o) => html(
            StatusCode::OK,
            page(
                "Overview",
                Some(s),
                Nav::Overview,
                &notice,
                body(s, &o, draft),
            ),
        ),
        Err(e) => failed(s, e),
    }
}

fn body(s: &Session, o: &Overview, draft: &Form) -> Markup {
    html! {
        section aria-labelledby="worth" {
            h2 id="worth" { "Net worth" }
            @if let Some(n) = &o.profile.net_worth {
                p.big { span class=(sign_class(n.amount.minor())) { (money(n.amount, n.currency)) } }
                @if !n.missing.is_empty() {
                    p.hint { "Not counted for want of an exchange rate: "
                        (n.missing.iter().map(|c| c.code()).collect::<Vec<_>>().join(", ")) }
                }
            }
            @if !o.profile.totals.is_empty() {
                ul.totals class=[o.profile.net_worth.is_none().then_some("big")] {
                    @for t in &o.profile.totals { li { (money(t.balance, t.currency)) } }
                }
            }
            @if o.profile.net_worth.is_none() && o.profile.totals.len() > 1 {
                p.hint { "Set a base currency in " a href="/settings" { "Settings" } " to add them up." }
            }
        }
        @if !o.invitations.items.is_empty() {
            p.notice.done role="status" {
                a href="/sharing" { (o.invitations.items.len()) " invitation(s) to a shared account" }
            }
        }
        section aria-labelledby="accounts" {
            h2 id="accounts" { "Accounts" }
            (accounts_table(&o.profile.accounts))
            (create_form(s, draft))
        }
        section aria-labelledby="budgets" {
            h2 id="budgets" { "Budgets for " (o.budgets.month) }
            @if o.budgets.items.is_empty() {
                p { "No budgets yet. " a href="/budgets" { "Set one" } }
            } @else {
                (super::budgets::budget_rows(&o.budgets, None))
            }
        }
        section aria-labelledby="flow" {
            h2 id="flow" { "Cash flow, last twelve months" }
            @match charts::cash_flow_columns(&o.flow) {
                Some((currency, columns)) => (charts::cash_flow_chart("flow-chart", currency, &columns)),
                None => p { "No movements in the last twelve months." },
            }
        }
    }
}

fn accounts_table(accounts: &[Account]) -> Markup {
    html! {
        @if accounts.is_empty() {
            p { "No accounts yet: create the first one below." }
        } @else {
            table.accounts {
                thead { tr { th scope="col" { "Account" } th scope="col" { "Role" } th.num scope="col" { "Balance" } } }
                tbody {
                    @for a in accounts {
                        tr {
                            th scope="row" {
                                a href={"/accounts/" (a.id)} { (a.name) }
                                @if a.archived { " " span.tag { "archived" } }
                            }
                            td { (role_text(a)) }
                            td class=(sign_class(a.balance.minor().into())) { (money(a.balance, a.currency)) }
                        }
                    }
                }
            }
        }
    }
}

/// "owner", or the role and who shared it.
pub(super) fn role_text(a: &Account) -> String {
    match (a.role, &a.owner_email) {
        (Role::Owner, _) => "owner".into(),
        (role, Some(owner)) => format!("{} (shared by {owner})", role.as_str()),
        (role, None) => role.as_str().into(),
    }
}

fn create_form(s: &Session, draft: &Form) -> Markup {
    html! {
        form.card method="post" action="/accounts" {
            h3 { "New account" }
            (csrf(s))
            label for="account-name" { "Name" }
            input id="account-name" name="name" required maxlength="100" value=(draft.text("name"));
            label for="account-currency" { "Currency (ISO code)" }
            input id="account-currency" name="currency" required maxlength="3" pattern="[A-Za-z]{3}"
                autocapitalize="characters" value=(draft.get("currency").unwrap_or("EUR"));
            button type="submit" { "Create account" }
        }
    }
}
