use finance_core::domain::{
    Schedule, ScheduleId, ScheduleInput, ScheduleList, SchedulePatch, Upcoming, UserId,
};
use serde::Deserialize;
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Response;

use super::endpoint::{endpoint, endpoint1};
use super::responses::{Forbidden, Invalid, JsonBody, NoAccount, NoSchedule, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// The query string of `GET /schedules/{id}/upcoming`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UpcomingQuery {
    count: Option<String>,
}

/// `POST|GET /schedules`, `GET|PATCH|DELETE /schedules/{id}`,
/// `GET /schedules/{id}/upcoming`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = endpoint::<__path_create_schedule>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(create_schedule);
    let list = endpoint::<__path_list_schedules>()
        .and(signed_in(ctx.clone()))
        .then(list_schedules);
    let get = endpoint1::<__path_get_schedule, ScheduleId>()
        .and(signed_in(ctx.clone()))
        .then(get_schedule);
    let edit = endpoint1::<__path_edit_schedule, ScheduleId>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(edit_schedule);
    let delete = endpoint1::<__path_delete_schedule, ScheduleId>()
        .and(signed_in(ctx.clone()))
        .then(delete_schedule);
    let upcoming = endpoint1::<__path_upcoming, ScheduleId>()
        .and(signed_in(ctx))
        .and(query())
        .then(upcoming);
    boxed(
        create
            .or(list)
            .unify()
            .or(get)
            .unify()
            .or(edit)
            .unify()
            .or(delete)
            .unify()
            .or(upcoming)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_schedule,
    list_schedules,
    get_schedule,
    edit_schedule,
    delete_schedule,
    upcoming
))]
pub(super) struct Doc;

/// Make a schedule of recurring movements; every date due by today is booked at once, the
/// rest at start and hourly, each exactly once. A month-day past a month's end falls on its
/// last day.
#[utoipa::path(post, path = "/v1/schedules", operation_id = "createSchedule",
    request_body = ScheduleInput,
    responses(
        (status = 201, description = "Made", body = Schedule,
            headers(("Location" = String, description = "/v1/schedules/{id}"))),
        Unauthorized, Forbidden, JsonBody, Invalid, NoAccount,
    ))]
async fn create_schedule(ctx: Ctx, user: UserId, input: ScheduleInput) -> Response {
    let made = ctx
        .run(move |app| async move { app.create_schedule(user, &input).await })
        .await;
    super::created_at(made, |s: &Schedule| format!("/v1/schedules/{}", s.id))
}

/// Your schedules, by start.
#[utoipa::path(get, path = "/v1/schedules", operation_id = "listSchedules",
    responses(
        (status = 200, description = "The schedules", body = ScheduleList),
        Unauthorized,
    ))]
async fn list_schedules(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_schedules(user).await
    })
    .await
}

/// One schedule.
#[utoipa::path(get, path = "/v1/schedules/{id}", operation_id = "getSchedule",
    params(("id" = uuid::Uuid, Path, description = "Schedule id")),
    responses(
        (status = 200, description = "The schedule", body = Schedule),
        Unauthorized, NoSchedule,
    ))]
async fn get_schedule(id: ScheduleId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.get_schedule(user, id).await
    })
    .await
}

/// Change a schedule (not its account): dates booked stay; dates of the new rule due by
/// today are booked at once.
#[utoipa::path(patch, path = "/v1/schedules/{id}", operation_id = "editSchedule",
    params(("id" = uuid::Uuid, Path, description = "Schedule id")),
    request_body = SchedulePatch,
    responses(
        (status = 200, description = "The schedule as changed", body = Schedule),
        Unauthorized, Forbidden, JsonBody, Invalid, NoSchedule,
    ))]
async fn edit_schedule(id: ScheduleId, ctx: Ctx, user: UserId, patch: SchedulePatch) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.edit_schedule(user, id, &patch).await
    })
    .await
}

/// Delete a schedule; the movements it booked stay.
#[utoipa::path(delete, path = "/v1/schedules/{id}", operation_id = "deleteSchedule",
    params(("id" = uuid::Uuid, Path, description = "Schedule id")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NoSchedule,
    ))]
async fn delete_schedule(id: ScheduleId, ctx: Ctx, user: UserId) -> Response {
    let deleted = ctx
        .run(move |app| async move { app.delete_schedule(user, id).await })
        .await;
    super::no_content(deleted)
}

/// The next dates the schedule will book, from tomorrow.
#[utoipa::path(get, path = "/v1/schedules/{id}/upcoming", operation_id = "upcoming",
    params(
        ("id" = uuid::Uuid, Path, description = "Schedule id"),
        ("count" = Option<u8>, Query, description = "1 to 100, default 5", minimum = 1, maximum = 100),
    ),
    responses(
        (status = 200, description = "The dates", body = Upcoming),
        (status = 422, description = "Invalid count", body = Problem, content_type = "application/problem+json"),
        Unauthorized, NoSchedule,
    ))]
async fn upcoming(id: ScheduleId, ctx: Ctx, user: UserId, q: UpcomingQuery) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.upcoming(user, id, q.count.as_deref()).await
    })
    .await
}
