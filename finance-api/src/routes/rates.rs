use finance_core::domain::schemas;
use finance_core::domain::{
    ExchangeRate, RateInput, RatePage, RateQueryInput, RatesImported, UserId,
};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Reply};

use super::endpoint::{endpoint, endpoint3};
use super::responses::{File, InvalidQuery, JsonBody, Unauthorized};
use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{IMPORT_LIMIT, json_body, query, signed_in, text_body};
use crate::problem::Problem;

/// The address of a rate: `/v1/rates/{base}/{quote}/{date}`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // It declares the parameters to the document; the route reads them.
struct RatePath {
    /// The base currency.
    #[param(schema_with = schemas::currency)]
    base: String,
    /// The quote currency, not the base.
    #[param(schema_with = schemas::quote_currency)]
    quote: String,
    /// The day the rate is of.
    #[param(schema_with = schemas::date)]
    date: String,
}

/// `PUT|DELETE /rates/{base}/{quote}/{date}`, `GET /rates`, `POST /rates/import`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let put = endpoint3::<__path_set_rate, String, String, String>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(set_rate);
    let delete = endpoint3::<__path_delete_rate, String, String, String>()
        .and(signed_in(ctx.clone()))
        .then(delete_rate);
    let list = endpoint::<__path_list_rates>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(list_rates);
    let import = endpoint::<__path_import_rates>()
        .and(signed_in(ctx))
        .and(text_body(IMPORT_LIMIT))
        .then(import_rates);
    boxed(put.or(delete).unify().or(list).unify().or(import).unify())
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(set_rate, list_rates, delete_rate, import_rates))]
pub(super) struct Doc;

/// Record that on `date` 1 `base` was worth `rate` `quote`, replacing the rate of that
/// pair and day.
#[utoipa::path(put, path = "/v1/rates/{base}/{quote}/{date}", operation_id = "setRate",
    params(
        RatePath,
    ),
    request_body = RateInput,
    responses(
        (status = 201, description = "New", body = ExchangeRate,
            headers(("Location" = String, description = "/v1/rates/{base}/{quote}/{date}"))),
        (status = 200, description = "Replaced the rate of that pair and day", body = ExchangeRate),
        (status = 422, description = "Invalid currency, date or rate", body = Problem, content_type = "application/problem+json"),
        Unauthorized, JsonBody,
    ))]
async fn set_rate(
    base: String,
    quote: String,
    date: String,
    ctx: Ctx,
    user: UserId,
    input: RateInput,
) -> Response {
    let set = ctx
        .run(move |app| async move { app.set_rate(user, &base, &quote, &date, &input).await })
        .await;
    match set {
        Ok((rate, true)) => {
            let location = format!("/v1/rates/{}/{}/{}", rate.base, rate.quote, rate.date);
            super::created(&rate, &location)
        }
        Ok((rate, false)) => json(StatusCode::OK, &rate),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Rates, newest first (then by base and quote), with keyset pagination.
#[utoipa::path(get, path = "/v1/rates", operation_id = "listRates",
    params(
        RateQueryInput,
    ),
    responses(
        (status = 200, description = "A page", body = RatePage),
        Unauthorized, InvalidQuery,
    ))]
async fn list_rates(ctx: Ctx, user: UserId, q: RateQueryInput) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_rates(user, &q).await
    })
    .await
}

/// Delete the rate of a pair on a day.
#[utoipa::path(delete, path = "/v1/rates/{base}/{quote}/{date}", operation_id = "deleteRate",
    params(
        RatePath,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No rate of that pair on that day", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid currency or date", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn delete_rate(
    base: String,
    quote: String,
    date: String,
    ctx: Ctx,
    user: UserId,
) -> Response {
    let deleted = ctx
        .run(move |app| async move { app.delete_rate(user, &base, &quote, &date).await })
        .await;
    super::no_content(deleted)
}

/// Import the European Central Bank's reference-rate CSV (eurofxref-hist.csv: a header
/// `Date,USD,JPY,…`, one line per day, EUR base, `N/A` cells skipped): every rate or none.
/// Columns of withdrawn currencies (CYP, SIT, HRK…) are skipped and named.
#[utoipa::path(post, path = "/v1/rates/import", operation_id = "importRates",
    request_body(content = inline(File), content_type = "text/csv", description = "The CSV file, at most 10 MiB"),
    responses(
        (status = 200, description = "Imported", body = RatesImported),
        (status = 400, description = "Not UTF-8 text", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "File over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad lines: each error has its `line`", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
    ))]
async fn import_rates(ctx: Ctx, user: UserId, csv: String) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.import_rates(user, &csv).await
    })
    .await
}
