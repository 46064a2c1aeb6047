//! The forms that write to an account: add, edit and delete a movement (the edit and the
//! delete carry the movement's ETag, so a change made meanwhile is not overwritten), a
//! transfer to another account, and a bank-file upload.

use finance_core::domain::{
    Account, AccountId, Format, MovementId, MovementInput, MovementPatch, TransferInput,
};
use maud::{Markup, html};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::account::{ListQuery, account_page};
use super::form::{Form, Upload, upload};
use super::layout::{Nav, Notice, csrf, failed, html, page, see};
use super::session::{BadCsrf, Session, posted, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

pub(super) fn routes(ctx: Ctx) -> Route {
    let add = warp::path!("accounts" / AccountId / "movements")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(add);
    let edit_page = warp::path!("accounts" / AccountId / "movements" / MovementId / "edit")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx.clone()))
        .then(|a, m, ctx: Ctx, s: Session| async move {
            edit_page(&ctx, &s, a, m, Notice::None, StatusCode::OK).await
        });
    let edit = warp::path!("accounts" / AccountId / "movements" / MovementId)
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(edit);
    let delete = warp::path!("accounts" / AccountId / "movements" / MovementId / "delete")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(delete);
    let transfer = warp::path!("accounts" / AccountId / "transfers")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(transfer);
    let import = warp::path!("accounts" / AccountId / "import")
        .and(warp::post())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx))
        .and(upload())
        .and_then(|a, ctx: Ctx, s: Session, u: Upload| async move {
            if u.fields.get("csrf") == Some(s.csrf.as_str()) {
                Ok(import(a, ctx, s, u).await)
            } else {
                Err(warp::reject::custom(BadCsrf))
            }
        });
    add.or(edit_page)
        .unify()
        .or(edit)
        .unify()
        .or(delete)
        .unify()
        .or(transfer)
        .unify()
        .or(import)
        .unify()
        .boxed()
}

fn account_url(id: AccountId) -> String {
    format!("/accounts/{id}")
}

/// The account page again, saying what went wrong, the form as it was sent.
async fn refused(
    ctx: &Ctx,
    s: &Session,
    id: AccountId,
    e: finance_core::Error,
    form: &Form,
) -> Response {
    let (status, notice) = Notice::of(e);
    let mut res = account_page(ctx, s, id, &ListQuery::default(), notice, form).await;
    if res.status().is_success() || res.status() == StatusCode::UNPROCESSABLE_ENTITY {
        *res.status_mut() = status;
    }
    res
}

async fn add(id: AccountId, ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let input = MovementInput {
        amount: form.text("amount").trim().to_string(),
        description: form.text("description"),
        category: form.filled("category"),
        occurred_on: form.filled("occurred_on"),
        splits: None,
        tags: form.list("tags"),
    };
    // The form's own key: a second click or a reload of the post records it once.
    let key = form.filled("idempotency_key");
    let added = ctx
        .run(move |app| async move { app.add_movement(user, id, &input, key.as_deref()).await })
        .await;
    match added {
        Ok(_) => see(&account_url(id)),
        Err(e) => refused(&ctx, &s, id, e, &form).await,
    }
}

async fn edit(account: AccountId, id: MovementId, ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let split = form.get("split") == Some("yes");
    let patch = MovementPatch {
        amount: Some(form.text("amount").trim().to_string()),
        description: Some(form.text("description")),
        category: (!split).then(|| form.filled("category")),
        occurred_on: Some(form.text("occurred_on")),
        splits: None,
        tags: Some(form.list("tags")),
    };
    let etag = form.text("etag");
    let edited = ctx
        .run(move |app| async move {
            app.edit_movement(user, account, id, &patch, Some(&etag))
                .await
        })
        .await;
    match edited {
        Ok(_) => see(&account_url(account)),
        Err(e) => {
            let (status, notice) = Notice::of(e);
            edit_page(&ctx, &s, account, id, notice, status).await
        }
    }
}

async fn delete(account: AccountId, id: MovementId, ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let etag = form.text("etag");
    let deleted = ctx
        .run(move |app| async move { app.delete_movement(user, account, id, Some(&etag)).await })
        .await;
    match deleted {
        Ok(()) => see(&account_url(account)),
        Err(e) => refused(&ctx, &s, account, e, &Form::default()).await,
    }
}

async fn transfer(account: AccountId, ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let input = TransferInput {
        from_account: account.to_string(),
        to_account: form.text("to_account"),
        amount: form.text("amount").trim().to_string(),
        to_amount: form.filled("to_amount"),
        description: form.text("description"),
        occurred_on: form.filled("occurred_on"),
    };
    let key = form.filled("idempotency_key");
    let made = ctx
        .run(move |app| async move { app.create_transfer(user, &input, key.as_deref()).await })
        .await;
    match made {
        Ok(_) => see(&account_url(account)),
        Err(e) => refused(&ctx, &s, account, e, &Form::default()).await,
    }
}

async fn import(account: AccountId, ctx: Ctx, s: Session, upload: Upload) -> Response {
    let user = s.user();
    let text = match String::from_utf8(upload.file) {
        Ok(text) => text,
        Err(_) => {
            let notice = Notice::Failed("The file is not UTF-8 text.".into(), Vec::new());
            return account_page(
                &ctx,
                &s,
                account,
                &ListQuery::default(),
                notice,
                &Form::default(),
            )
            .await;
        }
    };
    let format = Format::guess(&upload.file_name, &text).unwrap_or(Format::Csv);
    let imported = ctx
        .run(move |app| async move { app.import_statement(user, account, format, text).await })
        .await;
    let notice = match imported {
        Ok(i) => Notice::Done(format!(
            "Imported {}: {} added, {} duplicates.",
            upload.file_name, i.added, i.duplicates
        )),
        Err(e) => Notice::of(e).1,
    };
    account_page(
        &ctx,
        &s,
        account,
        &ListQuery::default(),
        notice,
        &Form::default(),
    )
    .await
}

/// A random key per rendered form.
fn idempotency_key() -> String {
    finance_core::domain::MovementId::random().to_string()
}

pub(super) fn add_form(s: &Session, account: &Account, draft: &Form) -> Markup {
    html! {
        form.card method="post" action={"/accounts/" (account.id) "/movements"} {
            h2 { "Add a movement" }
            (csrf(s))
            input type="hidden" name="idempotency_key" value=(draft.get("idempotency_key").map_or_else(idempotency_key, str::to_string));
            label for="amount" { "Amount (" (account.currency.code()) ", negative for an expense)" }
            input id="amount" name="amount" required inputmode="decimal" value=(draft.text("amount"));
            label for="description" { "Description" }
            input id="description" name="description" required maxlength="200" value=(draft.text("description"));
            label for="category" { "Category (optional)" }
            input id="category" name="category" maxlength="50" value=(draft.text("category"));
            label for="occurred_on" { "Date" }
            input id="occurred_on" name="occurred_on" type="date" value=(draft.text("occurred_on"));
            label for="tags" { "Tags (optional, separated by spaces)" }
            input id="tags" name="tags" value=(draft.text("tags"));
            button type="submit" { "Add" }
        }
    }
}

pub(super) fn transfer_form(s: &Session, account: &Account, others: &[&Account]) -> Markup {
    html! {
        form.card method="post" action={"/accounts/" (account.id) "/transfers"} {
            h2 { "Transfer to another account" }
            (csrf(s))
            input type="hidden" name="idempotency_key" value=(idempotency_key());
            label for="to_account" { "To" }
            select id="to_account" name="to_account" {
                @for a in others { option value=(a.id) { (a.name) " (" (a.currency.code()) ")" } }
            }
            label for="transfer-amount" { "Amount (" (account.currency.code()) ", positive)" }
            input id="transfer-amount" name="amount" required inputmode="decimal";
            label for="to_amount" { "Amount that arrives (only across currencies)" }
            input id="to_amount" name="to_amount" inputmode="decimal";
            label for="transfer-description" { "Description" }
            input id="transfer-description" name="description" required maxlength="200";
            label for="transfer-date" { "Date" }
            input id="transfer-date" name="occurred_on" type="date";
            button type="submit" { "Transfer" }
        }
    }
}

pub(super) fn upload_form(s: &Session, account: &Account) -> Markup {
    html! {
        form.card method="post" action={"/accounts/" (account.id) "/import"} enctype="multipart/form-data" {
            h2 { "Upload a bank file" }
            (csrf(s))
            label for="file" { "CSV, OFX, QIF or camt.053 file" }
            input id="file" name="file" type="file" required accept=".csv,.ofx,.qfx,.qif,.xml,text/csv";
            button type="submit" { "Upload" }
        }
    }
}

/// The edit form of one movement, with its ETag.
async fn edit_page(
    ctx: &Ctx,
    s: &Session,
    account: AccountId,
    id: MovementId,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let user = s.user();
    let read = ctx
        .run(move |app| async move {
            let (a, m) = tokio::join!(
                app.get_account(user, account),
                app.get_movement(user, account, id)
            );
            Ok((a?, m?))
        })
        .await;
    let (account, m) = match read {
        Ok(read) => read,
        Err(e) => return failed(s, e),
    };
    let split = m.splits.is_some();
    let body = html! {
        form.card method="post" action={"/accounts/" (account.id) "/movements/" (m.id)} {
            (csrf(s))
            input type="hidden" name="etag" value=(m.etag());
            label for="amount" { "Amount (" (account.currency.code()) ")" }
            input id="amount" name="amount" required inputmode="decimal" value=(m.amount);
            label for="description" { "Description" }
            input id="description" name="description" required maxlength="200" value=(m.description);
            @if split {
                input type="hidden" name="split" value="yes";
                p { "Split between " (m.categories().join(" + ")) " (change the parts with the CLI or the API)." }
            } @else {
                label for="category" { "Category (optional)" }
                input id="category" name="category" maxlength="50" value=(m.category.clone().unwrap_or_default());
            }
            label for="occurred_on" { "Date" }
            input id="occurred_on" name="occurred_on" type="date" required value=(m.occurred_on);
            label for="tags" { "Tags (separated by spaces)" }
            input id="tags" name="tags" value=(m.tags.join(" "));
            button type="submit" { "Save" }
            " " a href={"/accounts/" (account.id)} { "Cancel" }
        }
    };
    html(
        status,
        page(
            &format!("Edit: {}", m.description),
            Some(s),
            Nav::None,
            &notice,
            body,
        ),
    )
}
