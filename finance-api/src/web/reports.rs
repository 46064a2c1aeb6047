//! Reports: cash flow per month and net worth over time, as charts with their tables, for
//! any span of months.

use finance_core::domain::{
    CashFlowQueryInput, ProfileQueryInput, ReportQueryInput, usual_currency,
};
use maud::html;
use serde::Deserialize;
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::charts;
use super::layout::{Nav, Notice, html, page};
use super::session::{Session, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

#[derive(Debug, Default, Deserialize)]
struct Span {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

pub(super) fn routes(ctx: Ctx) -> Route {
    warp::path!("reports")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx))
        .and(warp::query::<Span>())
        .then(reports)
        .boxed()
}

async fn reports(ctx: Ctx, s: Session, span: Span) -> Response {
    let user = s.user();
    let filled = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
    let (from, to) = (filled(&span.from), filled(&span.to));
    let read = ctx
        .run(move |app| async move {
            // In the base currency, else in the one most accounts are in: a net worth
            // needs a currency, and the API's report has none without a base currency.
            let profile = app.get_profile(user, &ProfileQueryInput::default()).await?;
            let currency = profile
                .user
                .base_currency
                .or_else(|| usual_currency(&profile.accounts))
                .map(|c| c.code().to_string());
            let report = ReportQueryInput {
                from,
                to,
                step: Some("month".into()),
                currency,
            };
            let flow_input = CashFlowQueryInput {
                from: report.from.clone(),
                to: report.to.clone(),
                step: report.step.clone(),
                currency: report.currency.clone(),
                ..Default::default()
            };
            let (flow, worth) = tokio::join!(
                app.cash_flow_report(user, &flow_input),
                app.net_worth_report(user, &report)
            );
            Ok((flow?, worth?))
        })
        .await;
    let (flow, worth) = match read {
        Ok(read) => read,
        Err(e) => {
            let (status, notice) = Notice::of(e);
            let back = html! { p { a href="/reports" { "Show the last twelve months" } } };
            return html(
                status,
                page("Reports", Some(&s), Nav::Reports, &notice, back),
            );
        }
    };
    let body = html! {
        form.search method="get" action="/reports" {
            label for="from" { "From" }
            input id="from" name="from" type="date" value=(flow.from);
            label for="to" { "To" }
            input id="to" name="to" type="date" value=(flow.to);
            button type="submit" { "Show" }
        }
        section aria-labelledby="cash-flow" {
            h2 id="cash-flow" { "Cash flow" }
            @match charts::cash_flow_columns(&flow) {
                Some((currency, columns)) => (charts::cash_flow_chart("report-flow", currency, &columns)),
                None => p { "No movements in this span." },
            }
        }
        section aria-labelledby="net-worth" {
            h2 id="net-worth" { "Net worth" }
            @match charts::net_worth_points(&worth) {
                Some((currency, points)) => (charts::net_worth_chart("report-worth", currency, &points)),
                None => p { "No accounts yet." },
            }
        }
    };
    html(
        StatusCode::OK,
        page("Reports", Some(&s), Nav::Reports, &Notice::None, body),
    )
}
