//! Signing in with a mailed code (a form with `email`, then one with `code`), and signing
//! out here or everywhere. The same use cases as `/v1/auth/*`, with the same limits.

use maud::html;
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::form::Form;
use super::layout::{Nav, Notice, html, page, see};
use super::session::{
    self, Session, anonymous_csrf, optional_session, posted, posted_anonymously, secure_for,
    set_anonymous_csrf,
};
use crate::context::Ctx;
use crate::filters::{client_address, with_ctx};
use crate::routes::Route;

pub(super) fn routes(ctx: Ctx) -> Route {
    let form = warp::path!("signin")
        .and(warp::get())
        .and(optional_session(ctx.clone()))
        .and(anonymous_csrf())
        .and(secure_for())
        .map(|s: Option<Session>, csrf: String, secure: bool| match s {
            Some(_) => see("/"),
            None => email_page(&csrf, secure, "", Notice::None, StatusCode::OK),
        });
    let ask = warp::path!("signin")
        .and(with_ctx(ctx.clone()))
        .and(client_address(ctx.settings.trust_proxy))
        .and(posted_anonymously())
        .and(secure_for())
        .then(ask_code);
    let redeem = warp::path!("signin" / "code")
        .and(with_ctx(ctx.clone()))
        .and(client_address(ctx.settings.trust_proxy))
        .and(posted_anonymously())
        .and(secure_for())
        .then(redeem);
    let out = warp::path!("signout")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .and(secure_for())
        .then(|ctx: Ctx, s: Session, _: Form, secure| async move {
            let token = s.identity.clone();
            signed_out(
                ctx.run(move |app| async move { app.sign_out(&token).await })
                    .await,
                &s,
                secure,
            )
        });
    let everywhere = warp::path!("signout" / "everywhere")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx))
        .and(secure_for())
        .then(|ctx: Ctx, s: Session, _: Form, secure| async move {
            let token = s.identity.clone();
            let done = ctx
                .run(move |app| async move { app.sign_out_everywhere(&token).await })
                .await;
            signed_out(done, &s, secure)
        });
    form.or(ask)
        .unify()
        .or(redeem)
        .unify()
        .or(out)
        .unify()
        .or(everywhere)
        .unify()
        .boxed()
}

fn signed_out(done: Result<(), finance_core::Error>, s: &Session, secure: bool) -> Response {
    match done {
        Ok(()) => {
            let mut res = see("/signin");
            session::end(&mut res, secure);
            res
        }
        Err(e) => super::layout::failed(s, e),
    }
}

async fn ask_code(ctx: Ctx, address: String, form: Form, secure: bool) -> Response {
    let email = form.text("email");
    let csrf = form.text("csrf");
    let asked = email.clone();
    let sent = ctx
        .run(move |app| async move {
            app.admit_client(&address).await?;
            app.request_code(&asked).await
        })
        .await;
    match sent {
        Ok(()) => code_page(
            &csrf,
            &email,
            Notice::Done(format!(
                "If {email} can receive mail, a code is on its way."
            )),
            StatusCode::OK,
        ),
        Err(e) => {
            let (status, notice) = Notice::of(e);
            email_page(&csrf, secure, &email, notice, status)
        }
    }
}

async fn redeem(ctx: Ctx, address: String, form: Form, secure: bool) -> Response {
    let email = form.text("email");
    let code = form.text("code");
    let csrf = form.text("csrf");
    let asked = email.clone();
    let verified = ctx
        .run(move |app| async move {
            app.admit_client(&address).await?;
            app.verify_code(&asked, code.trim()).await
        })
        .await;
    match verified {
        Ok(signed) => {
            let mut res = see("/");
            let seconds =
                (signed.token.expires_at - time::OffsetDateTime::now_utc()).whole_seconds();
            session::start(&mut res, &signed.token.token, seconds, secure);
            res
        }
        Err(e) => {
            let (status, notice) = Notice::of(e);
            code_page(&csrf, &email, notice, status)
        }
    }
}

fn email_page(
    csrf: &str,
    secure: bool,
    email: &str,
    notice: Notice,
    status: StatusCode,
) -> Response {
    let body = html! {
        form.card method="post" action="/signin" {
            input type="hidden" name="csrf" value=(csrf);
            label for="email" { "Email" }
            input id="email" name="email" type="email" required autocomplete="email" autofocus value=(email);
            button type="submit" { "Send me a code" }
        }
        p.hint { "A six-digit code is mailed to you; a new address gets an account. Without mail settings, the server writes the mail to its outbox folder and logs the file's name." }
    };
    let mut res = html(status, page("Sign in", None, Nav::None, &notice, body));
    set_anonymous_csrf(&mut res, csrf, secure);
    res
}

fn code_page(csrf: &str, email: &str, notice: Notice, status: StatusCode) -> Response {
    let body = html! {
        form.card method="post" action="/signin/code" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="email" value=(email);
            p { "Signing in as " strong { (email) } ". " a href="/signin" { "Another address" } }
            label for="code" { "Code" }
            input id="code" name="code" required inputmode="numeric" autocomplete="one-time-code"
                pattern="[0-9]{6}" maxlength="6" autofocus;
            button type="submit" { "Sign in" }
        }
    };
    html(
        status,
        page("Enter your code", None, Nav::None, &notice, body),
    )
}
