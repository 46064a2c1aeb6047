//! Settings: the base currency of the net worth and reports, signing out here, and
//! signing out everywhere (every session and token of the user).

use finance_core::domain::{ProfilePatch, ProfileQueryInput};
use maud::html;
use warp::Filter;
use warp::reply::Response;

use super::form::Form;
use super::layout::{Nav, Notice, csrf, failed, html, page, see};
use super::session::{Session, posted, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

pub(super) fn routes(ctx: Ctx) -> Route {
    let show = warp::path!("settings")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx.clone()))
        .then(|ctx: Ctx, s: Session| async move { settings_page(&ctx, &s, Notice::None).await });
    let save = warp::path!("settings")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx))
        .then(save);
    show.or(save).unify().boxed()
}

async fn save(ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let patch = ProfilePatch {
        base_currency: Some(
            form.filled("base_currency")
                .map(|c| c.trim().to_uppercase()),
        ),
    };
    match ctx
        .run(move |app| async move { app.update_profile(user, &patch).await })
        .await
    {
        Ok(_) => see("/settings"),
        Err(e) => settings_page(&ctx, &s, Notice::of(e).1).await,
    }
}

async fn settings_page(ctx: &Ctx, s: &Session, notice: Notice) -> Response {
    let user = s.user();
    let profile = match ctx
        .run(move |app| async move { app.get_profile(user, &ProfileQueryInput::default()).await })
        .await
    {
        Ok(p) => p,
        Err(e) => return failed(s, e),
    };
    let status = notice.status();
    let base = profile
        .user
        .base_currency
        .map(|c| c.code().to_string())
        .unwrap_or_default();
    let body = html! {
        p { "Signed in as " strong { (profile.user.email) } "." }
        form.card method="post" action="/settings" {
            h2 { "Base currency" }
            (csrf(s))
            label for="base_currency" { "Net worth and reports in (ISO code; empty for the usual currency of your accounts)" }
            input id="base_currency" name="base_currency" maxlength="3" value=(base);
            button type="submit" { "Save" }
        }
        div.card {
            h2 { "Sessions" }
            form.inline method="post" action="/signout" {
                (csrf(s)) button type="submit" { "Sign out" }
            }
            form.inline method="post" action="/signout/everywhere" {
                (csrf(s)) button.danger type="submit" { "Sign out everywhere" }
            }
            p.hint { "Signing out everywhere ends every browser session and every token of yours, on every server." }
        }
    };
    html(
        status,
        page("Settings", Some(s), Nav::Settings, &notice, body),
    )
}
