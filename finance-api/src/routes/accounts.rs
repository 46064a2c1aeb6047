use finance_core::domain::{AccountId, AccountInput, AccountList, AccountPatch, UserId};
use warp::http::StatusCode;
use warp::{Filter, Reply};

use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, signed_in};
use crate::problem::Problem;

/// `POST|GET /accounts` and `GET|PATCH|DELETE /accounts/{id}`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = warp::path!("accounts")
        .and(warp::post())
        .and(signed_in(ctx.clone()))
        .and(json_body::<AccountInput>())
        .then(|ctx: Ctx, user: UserId, input: AccountInput| async move {
            let created = ctx
                .run(move |app| async move { app.create_account(user, &input).await })
                .await;
            match created {
                Ok(account) => super::created(&account, &format!("/v1/accounts/{}", account.id)),
                Err(e) => Problem::from(e).into_response(),
            }
        });
    let get = warp::path!("accounts" / AccountId)
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .then(|id: AccountId, ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                app.get_account(user, id).await
            })
            .await
        });
    let list = warp::path!("accounts")
        .and(warp::get())
        .and(signed_in(ctx.clone()))
        .then(|ctx: Ctx, user: UserId| async move {
            ctx.answer(StatusCode::OK, move |app| async move {
                let items = app.list_accounts(user).await?;
                Ok(AccountList { items })
            })
            .await
        });
    let update = warp::path!("accounts" / AccountId)
        .and(warp::patch())
        .and(signed_in(ctx.clone()))
        .and(json_body::<AccountPatch>())
        .then(
            |id: AccountId, ctx: Ctx, user: UserId, patch: AccountPatch| async move {
                ctx.answer(StatusCode::OK, move |app| async move {
                    app.update_account(user, id, &patch).await
                })
                .await
            },
        );
    let delete = warp::path!("accounts" / AccountId)
        .and(warp::delete())
        .and(signed_in(ctx))
        .then(|id: AccountId, ctx: Ctx, user: UserId| async move {
            let deleted = ctx
                .run(move |app| async move { app.delete_account(user, id).await })
                .await;
            super::no_content(deleted)
        });
    boxed(
        create
            .or(list)
            .unify()
            .or(get)
            .unify()
            .or(update)
            .unify()
            .or(delete)
            .unify(),
    )
}
