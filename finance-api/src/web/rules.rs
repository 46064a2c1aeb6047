//! Rules: the user's rules in the order they are tried, a form for a new one (the usual
//! conditions and actions; the API and the CLI take every one) and removal.

use finance_core::domain::{Actions, Conditions, Rule, RuleId, RuleInput};
use maud::{Markup, html};
use warp::Filter;
use warp::reply::Response;

use super::form::Form;
use super::layout::{Nav, Notice, csrf, failed, html, page, see};
use super::session::{Session, posted, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

pub(super) fn routes(ctx: Ctx) -> Route {
    let show = warp::path!("rules")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx.clone()))
        .then(|ctx: Ctx, s: Session| async move { rules_page(&ctx, &s, Notice::None).await });
    let create = warp::path!("rules")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(create);
    let delete = warp::path!("rules" / RuleId / "delete")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx))
        .then(delete);
    show.or(create).unify().or(delete).unify().boxed()
}

async fn create(ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let input = RuleInput {
        name: form.text("name"),
        position: None,
        when: Conditions {
            description_contains: form.filled("description_contains"),
            amount_min: form.filled("amount_min"),
            amount_max: form.filled("amount_max"),
            ..Default::default()
        },
        then: Actions {
            category: form.filled("category"),
            add_tags: form.list("add_tags"),
            description: form.filled("rename"),
        },
    };
    let key = form.filled("idempotency_key");
    let made = ctx
        .run(move |app| async move { app.create_rule(user, &input, key.as_deref()).await })
        .await;
    match made {
        Ok(_) => see("/rules"),
        Err(e) => rules_page(&ctx, &s, Notice::of(e).1).await,
    }
}

async fn delete(id: RuleId, ctx: Ctx, s: Session, _form: Form) -> Response {
    let user = s.user();
    match ctx
        .run(move |app| async move { app.delete_rule(user, id).await })
        .await
    {
        Ok(()) => see("/rules"),
        Err(e) => rules_page(&ctx, &s, Notice::of(e).1).await,
    }
}

async fn rules_page(ctx: &Ctx, s: &Session, notice: Notice) -> Response {
    let user = s.user();
    let rules = match ctx
        .run(move |app| async move { app.list_rules(user).await })
        .await
    {
        Ok(list) => list.items,
        Err(e) => return failed(s, e),
    };
    let status = notice.status();
    let body = html! {
        p { "When a movement is recorded, rules are tried in this order; the first that sets a field wins." }
        @if rules.is_empty() { p { "No rules yet." } } @else {
            table.rules {
                thead { tr { th scope="col" { "#" } th scope="col" { "Name" } th scope="col" { "When" }
                    th scope="col" { "Then" } th.num scope="col" { "Applied" } th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody { @for r in &rules { (row(s, r)) } }
            }
        }
        form.card method="post" action="/rules" {
            h2 { "New rule" }
            (csrf(s))
            input type="hidden" name="idempotency_key" value=(RuleId::random());
            label for="rule-name" { "Name" }
            input id="rule-name" name="name" required maxlength="100";
            label for="rule-contains" { "When the description contains" }
            input id="rule-contains" name="description_contains";
            label for="rule-min" { "and the amount is at least (optional)" }
            input id="rule-min" name="amount_min" inputmode="decimal";
            label for="rule-max" { "and at most (optional)" }
            input id="rule-max" name="amount_max" inputmode="decimal";
            label for="rule-category" { "Then set the category" }
            input id="rule-category" name="category" maxlength="50";
            label for="rule-tags" { "and add the tags (separated by spaces)" }
            input id="rule-tags" name="add_tags";
            label for="rule-rename" { "and rename it to (optional)" }
            input id="rule-rename" name="rename" maxlength="200";
            button type="submit" { "Add rule" }
        }
    };
    html(status, page("Rules", Some(s), Nav::Rules, &notice, body))
}

fn row(s: &Session, r: &Rule) -> Markup {
    let w = &r.when;
    let when: Vec<String> = [
        w.description_contains
            .as_ref()
            .map(|t| format!("contains \u{201c}{t}\u{201d}")),
        w.description_matches
            .as_ref()
            .map(|t| format!("matches /{t}/")),
        w.amount_min.as_ref().map(|a| format!("amount ≥ {a}")),
        w.amount_max.as_ref().map(|a| format!("amount ≤ {a}")),
        w.currency.as_ref().map(|c| format!("in {c}")),
        w.account.as_ref().map(|_| "on one account".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let t = &r.then;
    let then: Vec<String> = [
        t.category.as_ref().map(|c| format!("category {c}")),
        (!t.add_tags.is_empty()).then(|| format!("tags {}", t.add_tags.join(" "))),
        t.description
            .as_ref()
            .map(|d| format!("rename to \u{201c}{d}\u{201d}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    html! {
        tr {
            td { (r.position) }
            th scope="row" { (r.name) }
            td { (when.join(", ")) }
            td { (then.join(", ")) }
            td.num { (r.applied) }
            td { form.inline method="post" action={"/rules/" (r.id) "/delete"} {
                (csrf(s))
                button.danger type="submit" aria-label={"Delete the rule " (r.name)} { "Delete" }
            } }
        }
    }
}
