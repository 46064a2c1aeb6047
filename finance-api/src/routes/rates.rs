use finance_core::domain::{RateInput, RateQueryInput, UserId};
use warp::http::StatusCode;
use warp::{Filter, Reply};

use super::{Route, boxed, json};
use crate::context::Ctx;
use crate::filters::{IMPORT_LIMIT, json_body, query, signed_in, text_body};
use crate::problem::Problem;

/// `PUT|DELETE /rates/{base}/{quote}/{date}`, `GET /rates`, `POST /rates/import`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let put = warp::path!("rates" / String / String / String)
        .and(warp::put())
        .and(signed_in(ctx.clone()))
        .and(json_body::<RateInput>())
        .then(
            |base: String,
             quote: String,
             date: String,
             ctx: Ctx,
             user: UserId,
             input: RateInput| async move {
                let set = ctx
                    .run(move |app| async move {
                        app.set_rate(user, &base, &quote, &date, &input).await
                    })
                    .await;
                match set {
                    Ok((rate, true)) => {
                        let location =
                            format!("/v1/rates/{}/{}/{}", rate.base, rate.quote, rate.date);
                        super::created(&rate, &location)
                    }
                    Ok((rate, false)) => json(StatusCode::OK, &rate),
                    Err(e) => Problem::from(e).into_response(),
                }
            },
        );
    let delete = warp::path!("rates" / String / String / String)
        .and(warp::delete())
        .and(signed_in(ctx.clone()))
        .then(
            |base: String, quote: String, date: String, ctx: Ctx, user: UserId| async move {
                let deleted = ctx
                    .run(
                        move |app| async move { app.delete_rate(user, &base, &quote, &date).await },
                    )
                    .await;
                super::no_content(deleted)
            },
        );
    let list = warp::path!("rates")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .and(query::<RateQueryInput>())
        .then(|ctx: Ctx, user: UserId, q: RateQueryInput| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.list_rates(user, &q).await
            })
            .await
        });
    let import = warp::path!("rates" / "import")
        .and(warp::post())
        .and(signed_in(ctx))
        .and(text_body(IMPORT_LIMIT))
        .then(|ctx: Ctx, user: UserId, csv: String| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.import_rates(user, &csv).await
            })
            .await
        });
    boxed(put.or(delete).unify().or(list).unify().or(import).unify())
}
