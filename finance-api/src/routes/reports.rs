use finance_core::domain::schemas;
use finance_core::domain::{
    Budget, BudgetInput, BudgetList, BudgetQueryInput, CashFlowQueryInput, CashFlowReport,
    CategoryList, MovementPage, MovementQueryInput, NetWorthReport, ReportQueryInput, TagList,
    UserId,
};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::endpoint::{endpoint, endpoint1};
use super::responses::{Invalid, JsonBody, Unauthorized};
use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// The category of a budget: `/v1/budgets/{category}` (percent-encoded).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // It declares the parameters to the document; the route reads them.
struct CategoryPath {
    #[param(schema_with = schemas::category)]
    category: String,
}

/// A path segment as the client meant it (`food%20%26%20drink` is "food & drink").
fn segment(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// `GET /movements`, `GET /categories`, `GET /reports/cash-flow`, `GET /reports/net-worth`
/// and `PUT|DELETE /budgets/{category}`, `GET /budgets`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let movements = endpoint::<__path_list_all_movements>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(list_all_movements);
    let categories = endpoint::<__path_list_categories>()
        .and(signed_in(ctx.clone()))
        .then(list_categories);
    let tags = endpoint::<__path_list_tags>()
        .and(signed_in(ctx.clone()))
        .then(list_tags);
    let cash_flow = endpoint::<__path_cash_flow_report>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(cash_flow_report);
    let net_worth = endpoint::<__path_net_worth_report>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(net_worth_report);
    let budgets = endpoint::<__path_list_budgets>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(list_budgets);
    let set = endpoint1::<__path_set_budget, String>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(set_budget);
    let delete = endpoint1::<__path_delete_budget, String>()
        .and(signed_in(ctx))
        .then(delete_budget);
    boxed(
        movements
            .or(categories)
            .unify()
            .or(tags)
            .unify()
            .or(cash_flow)
            .unify()
            .or(net_worth)
            .unify()
            .or(budgets)
            .unify()
            .or(set)
            .unify()
            .or(delete)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list_all_movements,
    list_categories,
    list_tags,
    cash_flow_report,
    net_worth_report,
    set_budget,
    delete_budget,
    list_budgets
))]
pub(super) struct Doc;

/// Movements of all your accounts, newest first across them, with the filters and
/// keyset pagination of an account's list; each item names its account_id.
#[utoipa::path(get, path = "/v1/movements", operation_id = "listAllMovements",
    params(
        MovementQueryInput,
    ),
    responses(
        (status = 200, description = "A page", body = MovementPage),
        (status = 422, description = "Invalid query (naming the parameter)", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn list_all_movements(ctx: Ctx, user: UserId, q: MovementQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_all_movements(user, &q).await
    })
    .await
}

/// Your categories: how many movements each has and their sums per currency; movements
/// without a category are the item whose name is null. Transfer legs are left out; a split
/// movement counts once per part, in each part's category.
#[utoipa::path(get, path = "/v1/categories", operation_id = "listCategories",
    responses(
        (status = 200, description = "The categories", body = CategoryList),
        Unauthorized,
    ))]
async fn list_categories(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_categories(user).await
    })
    .await
}

/// Every tag on the movements you can see, by name, with how many carry it.
#[utoipa::path(get, path = "/v1/tags", operation_id = "listTags",
    responses(
        (status = 200, description = "The tags", body = TagList),
        Unauthorized,
    ))]
async fn list_tags(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_tags(user).await
    })
    .await
}

/// Income, expense (positive) and net per calendar period (UTC; ISO weeks from Monday;
/// quiet periods as zero): per currency, per category, and converted into `currency`
/// (default: the base currency) at the rates of each period's last day, with `missing`.
/// Transfer legs are left out; a split movement counts each part in its category. With
/// `tag` (repeatable), only movements carrying every tag count.
#[utoipa::path(get, path = "/v1/reports/cash-flow", operation_id = "cashFlowReport",
    params(
        CashFlowQueryInput,
    ),
    responses(
        (status = 200, description = "The report", body = CashFlowReport),
        (status = 422, description = "Invalid query (naming the parameter)", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn cash_flow_report(ctx: Ctx, user: UserId, q: CashFlowQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.cash_flow_report(user, &q).await
    })
    .await
}

/// What you owned at the end of each period: every account's balance then, converted into
/// `currency` (default: the base currency) at that day's rates, with `missing`; and per
/// currency.
#[utoipa::path(get, path = "/v1/reports/net-worth", operation_id = "netWorthReport",
    params(
        ReportQueryInput,
    ),
    responses(
        (status = 200, description = "The report", body = NetWorthReport),
        (status = 422, description = "Invalid query (naming the parameter)", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn net_worth_report(ctx: Ctx, user: UserId, q: ReportQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.net_worth_report(user, &q).await
    })
    .await
}

/// Your budgets for a month, each with what its category spent in its currency and what
/// remains (negative when over).
#[utoipa::path(get, path = "/v1/budgets", operation_id = "listBudgets",
    params(BudgetQueryInput),
    responses(
        (status = 200, description = "The budgets", body = BudgetList),
        (status = 422, description = "Invalid month", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn list_budgets(ctx: Ctx, user: UserId, q: BudgetQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_budgets(user, &q).await
    })
    .await
}

/// Set a category's monthly budget (replacing the one it had).
#[utoipa::path(put, path = "/v1/budgets/{category}", operation_id = "setBudget",
    params(CategoryPath),
    request_body = BudgetInput,
    responses(
        (status = 201, description = "New", body = Budget,
            headers(("Location" = String, description = "/v1/budgets/{category}"))),
        (status = 200, description = "Replaced", body = Budget),
        Unauthorized, JsonBody, Invalid,
    ))]
async fn set_budget(raw: String, ctx: Ctx, user: UserId, input: BudgetInput) -> Response {
    let category = segment(&raw);
    let set = ctx
        .run(move |app| async move { app.set_budget(user, &category, &input).await })
        .await;
    match set {
        Ok((budget, true)) => super::created(&budget, &format!("/v1/budgets/{raw}")),
        Ok((budget, false)) => json(StatusCode::OK, &budget),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Delete a category's budget.
#[utoipa::path(delete, path = "/v1/budgets/{category}", operation_id = "deleteBudget",
    params(CategoryPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No budget for that category", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn delete_budget(raw: String, ctx: Ctx, user: UserId) -> Response {
    let category = segment(&raw);
    let deleted = ctx
        .run(move |app| async move { app.delete_budget(user, &category).await })
        .await;
    super::no_content(deleted)
}
