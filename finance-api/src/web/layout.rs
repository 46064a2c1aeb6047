//! The frame of every page (head, navigation, the notice of the last action) and the
//! answers the pages give: HTML, a redirect after a post, an error page.

use finance_core::Error;
use maud::{DOCTYPE, Markup, html};
use warp::http::StatusCode;
use warp::http::header::{self, HeaderValue};
use warp::reply::Response;

use super::session::Session;
use crate::problem::Problem;

/// The vendored htmx, named by its version so a new one is never served from a cache.
pub const HTMX: &str = "/static/htmx-4.0.1.min.js";
pub const STYLE: &str = "/static/app.css";

/// The sections in the navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Reports,
    Budgets,
    Rules,
    Sharing,
    Settings,
    None,
}

const SECTIONS: [(Nav, &str, &str); 6] = [
    (Nav::Overview, "/", "Overview"),
    (Nav::Reports, "/reports", "Reports"),
    (Nav::Budgets, "/budgets", "Budgets"),
    (Nav::Rules, "/rules", "Rules"),
    (Nav::Sharing, "/sharing", "Sharing"),
    (Nav::Settings, "/settings", "Settings"),
];

/// What the last action did, shown at the top of the page.
#[derive(Debug, Clone, Default)]
pub enum Notice {
    #[default]
    None,
    Done(String),
    /// What went wrong: a sentence, then one line per field.
    Failed(String, Vec<String>),
}

impl Notice {
    /// The notice of a failed use case, and the status the page answers with.
    pub fn of(e: Error) -> (StatusCode, Notice) {
        if matches!(e, Error::PreconditionFailed) {
            let text = "It was changed meanwhile, here or elsewhere, so your change was not saved. \
                        This is how it is now: make your change again.";
            return (
                StatusCode::PRECONDITION_FAILED,
                Notice::Failed(text.into(), Vec::new()),
            );
        }
        let p = Problem::from(e);
        let lines = p
            .errors
            .iter()
            .map(|f| match f.line {
                Some(line) => format!("line {line}: {}", f.message),
                None if f.field.is_empty() => f.message.clone(),
                None => format!("{}: {}", f.field, f.message),
            })
            .collect();
        let sentence = match p.difference.as_deref() {
            Some(d) => format!("{} (difference {d})", p.detail),
            None => p.detail.clone(),
        };
        (p.status, Notice::Failed(sentence, lines))
    }

    /// The status of a page showing this notice: 422 after a refused form, else 200.
    pub fn status(&self) -> StatusCode {
        match self {
            Notice::Failed(..) => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::OK,
        }
    }

    fn render(&self) -> Markup {
        html! {
            @match self {
                Notice::None => {}
                Notice::Done(text) => p.notice.done role="status" { (text) }
                Notice::Failed(text, lines) => div.notice.failed role="alert" {
                    p { (text) }
                    @if !lines.is_empty() { ul { @for l in lines { li { (l) } } } }
                }
            }
        }
    }
}

/// A whole page. `session` is `None` on the sign-in pages.
pub fn page(
    title: &str,
    session: Option<&Session>,
    active: Nav,
    notice: &Notice,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // htmx's indicator styles would be an inline style sheet the policy refuses.
                meta name="htmx-config" content=r#"{"includeIndicatorCSS":false}"#;
                title { (title) " · finance" }
                link rel="stylesheet" href=(STYLE);
                script src=(HTMX) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "finance" }
                    @if let Some(s) = session {
                        nav aria-label="Sections" {
                            ul {
                                @for (nav, href, label) in SECTIONS {
                                    li {
                                        @if nav == active {
                                            a href=(href) aria-current="page" { (label) }
                                        } @else {
                                            a href=(href) { (label) }
                                        }
                                    }
                                }
                            }
                        }
                        form.signout method="post" action="/signout" {
                            (csrf(s))
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main id="main" {
                    h1 { (title) }
                    (notice.render())
                    (content)
                }
            }
        }
    }
}

/// The hidden CSRF field every form of a session carries.
pub fn csrf(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf); }
}

/// A page with `status`; pages hold balances, so no cache keeps them.
pub fn html(status: StatusCode, markup: Markup) -> Response {
    let mut res = Response::new(markup.into_string().into());
    *res.status_mut() = status;
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A fragment for htmx (no frame).
pub fn fragment(markup: Markup) -> Response {
    html(StatusCode::OK, markup)
}

/// After a post: see the page at `to` (303, so a reload does not post again).
pub fn see(to: &str) -> Response {
    let mut res = Response::new(Default::default());
    *res.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// A page that says only what went wrong (a missing account, a refused form).
pub fn error_page(session: Option<&Session>, status: StatusCode, notice: Notice) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    html(
        status,
        page(
            title,
            session,
            Nav::None,
            &notice,
            html! { p { a href="/" { "Back to the overview" } } },
        ),
    )
}

/// A use case's failure as an error page.
pub fn failed(session: &Session, e: Error) -> Response {
    let (status, notice) = Notice::of(e);
    error_page(Some(session), status, notice)
}
