//! An account's page: its movements with the running balance (a page at a time, "load
//! more" reading the next with the API's cursor), a search, and the forms that write to
//! it, shown only to those whose role may.

use finance_core::domain::{
    Account, AccountId, Action, MoneySum, Movement, MovementPage, MovementQueryInput,
};
use maud::{Markup, html};
use serde::Deserialize;
use warp::Filter;
use warp::reply::Response;

use super::form::Form;
use super::format::{grouped, money, sign_class};
use super::layout::{Nav, Notice, csrf, failed, fragment, html, page};
use super::overview::role_text;
use super::session::{Session, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

const PAGE: &str = "50";

/// The search and the position of a page in the list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    /// The balance after the page's first movement, carried by "load more".
    #[serde(default)]
    pub after: Option<String>,
}

impl ListQuery {
    fn filtered(&self) -> bool {
        [&self.q, &self.from, &self.to]
            .iter()
            .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()))
    }

    fn input(&self) -> MovementQueryInput {
        let blank_is_none = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        MovementQueryInput {
            limit: Some(PAGE.into()),
            cursor: blank_is_none(&self.cursor),
            from: blank_is_none(&self.from),
            to: blank_is_none(&self.to),
            q: blank_is_none(&self.q),
            ..Default::default()
        }
    }

    /// The balance after the page's first movement, when the list is not filtered (a
    /// filtered list's running balance would not be the account's).
    fn running(&self, account: &Account) -> Option<MoneySum> {
        if self.filtered() {
            return None;
        }
        match (&self.cursor, &self.after) {
            (None, _) => {
                Some(MoneySum::zero(account.currency).plus_minor(account.balance.minor().into()))
            }
            (Some(_), Some(after)) => MoneySum::parse(after, account.currency).ok(),
            (Some(_), None) => None,
        }
    }

    /// The query string of the next page.
    fn next(&self, cursor: &str, after: Option<&MoneySum>) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("q", &self.q), ("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                q.append_pair(k, v);
            }
        }
        q.append_pair("cursor", cursor);
        if let Some(a) = after {
            q.append_pair("after", &a.to_string());
        }
        q.finish()
    }
}

pub(super) fn routes(ctx: Ctx) -> Route {
    let show = warp::path!("accounts" / AccountId)
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx.clone()))
        .and(warp::query::<ListQuery>())
        .then(|id, ctx: Ctx, s: Session, q: ListQuery| async move {
            account_page(&ctx, &s, id, &q, Notice::None, &Form::default()).await
        });
    let more = warp::path!("accounts" / AccountId / "more")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx))
        .and(warp::query::<ListQuery>())
        .then(more);
    show.or(more).unify().boxed()
}

/// The account and one page of its movements.
async fn read(
    ctx: &Ctx,
    s: &Session,
    id: AccountId,
    q: &ListQuery,
) -> Result<(Account, MovementPage, Vec<Account>), finance_core::Error> {
    let user = s.user();
    let input = q.input();
    ctx.run(move |app| async move {
        let (account, movements, all) = tokio::join!(
            app.get_account(user, id),
            app.list_movements(user, id, &input),
            app.list_accounts(user),
        );
        Ok((account?, movements?, all?))
    })
    .await
}

/// The whole page, with `notice` and the add form filled with `draft` (after a failure).
pub(super) async fn account_page(
    ctx: &Ctx,
    s: &Session,
    id: AccountId,
    q: &ListQuery,
    notice: Notice,
    draft: &Form,
) -> Response {
    let (account, movements, all) = match read(ctx, s, id, q).await {
        Ok(read) => read,
        Err(e) => return failed(s, e),
    };
    let status = notice.status();
    let running = q.running(&account);
    let writable = account.role.may(Action::Write) && !account.archived;
    let others: Vec<&Account> = all
        .iter()
        .filter(|a| a.id != account.id && a.role.may(Action::Write) && !a.archived)
        .collect();
    let body = html! {
        p.summary {
            "Balance " strong class=(sign_class(account.balance.minor().into())) { (money(account.balance, account.currency)) }
            " · " (role_text(&account))
            @if account.archived { " · archived" }
            @if let Some(day) = account.reconciled_on { " · reconciled through " (day) }
            " · " a href={"/sharing#account-" (account.id)} { "Members" }
        }
        (search(&account, q))
        (table(&Listing { s, account: &account, q, movements: &movements, running, writable }))
        @if writable {
            div.forms {
                (super::movements::add_form(s, &account, draft))
                @if !others.is_empty() { (super::movements::transfer_form(s, &account, &others)) }
                (super::movements::upload_form(s, &account))
            }
        }
    };
    html(
        status,
        page(&account.name, Some(s), Nav::None, &notice, body),
    )
}

fn search(account: &Account, q: &ListQuery) -> Markup {
    let target = format!("/accounts/{}", account.id);
    html! {
        form.search method="get" action=(target) role="search" {
            label for="q" { "Search" }
            input id="q" name="q" type="search" value=(q.q.clone().unwrap_or_default())
                placeholder="description, category or tag";
            label for="from" { "From" }
            input id="from" name="from" type="date" value=(q.from.clone().unwrap_or_default());
            label for="to" { "To" }
            input id="to" name="to" type="date" value=(q.to.clone().unwrap_or_default());
            button type="submit" { "Search" }
            @if q.filtered() { a href=(target) { "Clear" } }
        }
    }
}

/// A page of movements as the table draws it.
struct Listing<'a> {
    s: &'a Session,
    account: &'a Account,
    q: &'a ListQuery,
    movements: &'a MovementPage,
    /// The balance after the first movement, when the running balance is shown.
    running: Option<MoneySum>,
    writable: bool,
}

fn table(l: &Listing) -> Markup {
    let (q, movements, running, writable) = (l.q, l.movements, l.running, l.writable);
    html! {
        @if movements.items.is_empty() {
            p { @if q.filtered() { "No movement matches." } @else { "No movements yet." } }
        } @else {
            table.movements id="movements" {
                caption.visually-hidden { "Movements, newest first" }
                thead {
                    tr {
                        th scope="col" { "Date" }
                        th scope="col" { "Description" }
                        th.num scope="col" { "Amount" }
                        @if running.is_some() { th.num scope="col" { "Balance" } }
                        @if writable { th scope="col" { span.visually-hidden { "Actions" } } }
                    }
                }
                (rows(l))
            }
        }
    }
}

/// A page of rows, then the "load more" control of the next one.
fn rows(l: &Listing) -> Markup {
    let (s, account, q, movements, writable) = (l.s, l.account, l.q, l.movements, l.writable);
    let balances = l.running.map(|b| movements.running_balances(b));
    let next_after = balances.as_ref().and_then(|b| {
        let last = movements.items.last()?;
        Some(b.last()?.plus_minor(-i128::from(last.amount.minor())))
    });
    html! {
        tbody {
            @for (i, m) in movements.items.iter().enumerate() {
                (row(s, account, m, balances.as_ref().map(|b| b[i]), writable))
            }
        }
        @if let Some(cursor) = &movements.next_cursor {
            @let next = q.next(&cursor.encode(), next_after.as_ref());
            tbody id="more" {
                tr { td colspan="5" {
                    a.more href={"/accounts/" (account.id) "?" (next)}
                        hx-get={"/accounts/" (account.id) "/more?" (next)}
                        hx-target="#more" hx-swap="outerHTML" { "Load more" }
                } }
            }
        }
    }
}

fn row(
    s: &Session,
    account: &Account,
    m: &Movement,
    after: Option<MoneySum>,
    writable: bool,
) -> Markup {
    let categories = m.categories().join(" + ");
    html! {
        tr id={"m-" (m.id)} {
            td { (m.occurred_on) }
            td {
                (m.description)
                @if !categories.is_empty() { " " span.category { (categories) } }
                @for t in &m.tags { " " span.tag { "#" (t) } }
                @if m.transfer_id.is_some() { " " span.mark title="transfer" { "⇄" } }
                @if m.reconciled { " " span.mark title="reconciled" { "✓" } }
            }
            td class=(sign_class(m.amount.minor().into())) { (grouped(m.amount)) }
            @if let Some(b) = after { td class=(sign_class(b.minor())) { (grouped(b)) } }
            @if writable {
                td.actions {
                    @if !m.reconciled && m.transfer_id.is_none() {
                        a href={"/accounts/" (account.id) "/movements/" (m.id) "/edit"}
                            aria-label={"Edit " (m.description)} { "Edit" }
                        form.inline method="post" action={"/accounts/" (account.id) "/movements/" (m.id) "/delete"} {
                            (csrf(s))
                            input type="hidden" name="etag" value=(m.etag());
                            button.danger type="submit" aria-label={"Delete " (m.description)} { "Delete" }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /accounts/{id}/more`: the next page's rows, for htmx to put in place of the
/// "load more" control.
async fn more(id: AccountId, ctx: Ctx, s: Session, q: ListQuery) -> Response {
    let (account, movements, _) = match read(&ctx, &s, id, &q).await {
        Ok(read) => read,
        Err(e) => return failed(&s, e),
    };
    let running = q.running(&account);
    let writable = account.role.may(Action::Write) && !account.archived;
    fragment(rows(&Listing {
        s: &s,
        account: &account,
        q: &q,
        movements: &movements,
        running,
        writable,
    }))
}
