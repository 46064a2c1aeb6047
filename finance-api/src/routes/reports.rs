use finance_core::domain::{
    BudgetInput, BudgetQueryInput, MovementQueryInput, ReportQueryInput, UserId,
};
use warp::http::StatusCode;
use warp::{Filter, Reply};

use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// A path segment as the client meant it (`food%20%26%20drink` is "food & drink").
fn segment(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// `GET /movements`, `GET /categories`, `GET /reports/cash-flow`, `GET /reports/net-worth`
/// and `PUT|DELETE /budgets/{category}`, `GET /budgets`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let movements = warp::path!("movements")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<MovementQueryInput>())
        .then(|ctx: Ctx, user: UserId, q: MovementQueryInput| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.list_all_movements(user, &q).await
            })
            .await
        });
    let categories = warp::path!("categories")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .then(|ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.list_categories(user).await
            })
            .await
        });
    let cash_flow = warp::path!("reports" / "cash-flow")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<ReportQueryInput>())
        .then(|ctx: Ctx, user: UserId, q: ReportQueryInput| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.cash_flow_report(user, &q).await
            })
            .await
        });
    let net_worth = warp::path!("reports" / "net-worth")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<ReportQueryInput>())
        .then(|ctx: Ctx, user: UserId, q: ReportQueryInput| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.net_worth_report(user, &q).await
            })
            .await
        });
    let budgets = warp::path!("budgets")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<BudgetQueryInput>())
        .then(|ctx: Ctx, user: UserId, q: BudgetQueryInput| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.list_budgets(user, &q).await
            })
            .await
        });
    let set_budget = warp::path!("budgets" / String)
        .and(warp::put())
        .and(signed_in(ctx.clone()))
        .and(json_body::<BudgetInput>())
        .then(
            |raw: String, ctx: Ctx, user: UserId, input: BudgetInput| async move {
                let category = segment(&raw);
                let set = ctx
                    .run(move |app| async move { app.set_budget(user, &category, &input).await })
                    .await;
                match set {
                    Ok((budget, true)) => super::created(&budget, &format!("/v1/budgets/{raw}")),
                    Ok((budget, false)) => json(StatusCode::OK, &budget),
                    Err(e) => Problem::from(e).into_response(),
                }
            },
        );
    let delete_budget = warp::path!("budgets" / String)
        .and(warp::delete())
        .and(signed_in(ctx))
        .then(|raw: String, ctx: Ctx, user: UserId| async move {
            let category = segment(&raw);
            let deleted = ctx
                .run(move |app| async move { app.delete_budget(user, &category).await })
                .await;
            super::no_content(deleted)
        });
    boxed(
        movements
            .or(categories)
            .unify()
            .or(cash_flow)
            .unify()
            .or(net_worth)
            .unify()
            .or(budgets)
            .unify()
            .or(set_budget)
            .unify()
            .or(delete_budget)
            .unify(),
    )
}
