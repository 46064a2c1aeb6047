use finance_core::domain::{ScheduleId, ScheduleInput, SchedulePatch, UserId};
use serde::Deserialize;
use warp::http::StatusCode;
use warp::{Filter, Reply};

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
    let create = warp::path!("schedules")
        .and(warp::post())
        .and(signed_in(ctx.clone()))
        .and(json_body::<ScheduleInput>())
        .then(|ctx: Ctx, user: UserId, input: ScheduleInput| async move {
            let made = ctx
                .run(move |app| async move { app.create_schedule(user, &input).await })
                .await;
            match made {
                Ok(schedule) => {
                    super::created(&schedule, &format!("/v1/schedules/{}", schedule.id))
                }
                Err(e) => Problem::from(e).into_response(),
            }
        });
    let list = warp::path!("schedules")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .then(|ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.list_schedules(user).await
            })
            .await
        });
    let get = warp::path!("schedules" / ScheduleId)
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .then(|id: ScheduleId, ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.get_schedule(user, id).await
            })
            .await
        });
    let edit = warp::path!("schedules" / ScheduleId)
        .and(warp::patch())
        .and(signed_in(ctx.clone()))
        .and(json_body::<SchedulePatch>())
        .then(
            |id: ScheduleId, ctx: Ctx, user: UserId, patch: SchedulePatch| async move {
                ctx.answer(StatusCode::OK, move |app| async move {
                    app.edit_schedule(user, id, &patch).await
                })
                .await
            },
        );
    let delete = warp::path!("schedules" / ScheduleId)
        .and(warp::delete())
        .and(signed_in(ctx.clone()))
        .then(|id: ScheduleId, ctx: Ctx, user: UserId| async move {
            let deleted = ctx
                .run(move |app| async move { app.delete_schedule(user, id).await })
                .await;
            super::no_content(deleted)
        });
    let upcoming = warp::path!("schedules" / ScheduleId / "upcoming")
        .and(warp::get())
        .and(signed_in(ctx))
        .and(query::<UpcomingQuery>())
        .then(
            |id: ScheduleId, ctx: Ctx, user: UserId, q: UpcomingQuery| async move {
                ctx.answer(StatusCode::OK, move |app| async move {
                    app.upcoming(user, id, q.count.as_deref()).await
                })
                .await
            },
        );
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
