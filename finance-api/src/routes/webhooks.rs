use finance_core::domain::{
    CreatedWebhook, DeliveryList, UserId, WebhookId, WebhookInput, WebhookList,
};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::{Reply, Response};

use super::endpoint::{endpoint, endpoint1};
use super::responses::{Invalid, JsonBody, NoWebhook, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, signed_in};
use crate::problem::Problem;

/// Webhooks: `/webhooks[/{id}[/deliveries]]`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = endpoint::<__path_create_webhook>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(create_webhook);
    let list = endpoint::<__path_list_webhooks>()
        .and(signed_in(ctx.clone()))
        .then(list_webhooks);
    let delete = endpoint1::<__path_delete_webhook, WebhookId>()
        .and(signed_in(ctx.clone()))
        .then(delete_webhook);
    let deliveries = endpoint1::<__path_list_deliveries, WebhookId>()
        .and(signed_in(ctx))
        .then(list_deliveries);
    boxed(
        create
            .or(list)
            .unify()
            .or(delete)
            .unify()
            .or(deliveries)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(create_webhook, list_webhooks, delete_webhook, list_deliveries))]
pub(super) struct Doc;

/// Add a webhook: from now on each event it listens to (`["*"]`, the default, for all) on
/// your accounts, and on accounts shared with you, is POSTed to `url` as
/// `{"id","type","created_at","data"}` with `Finance-Signature: t=<unix>,v1=<hex
/// HMAC-SHA256(secret, "<t>.<body>")>`. Any answer but a 2xx within 5 s is retried with
/// backoff for 24 hours (the first two retries within 90 s), with the same `id`; after 24
/// hours of failures the webhook is disabled and you are mailed. The `secret` is in this
/// answer only. A URL that is or resolves to a loopback, private, link-local or multicast
/// address is refused (unless the server allows it). At most 20 webhooks.
#[utoipa::path(post, path = "/v1/webhooks", operation_id = "createWebhook",
    request_body = WebhookInput,
    responses(
        (status = 201, description = "Added; `secret` is shown this once", body = CreatedWebhook,
            headers(("Location" = String, description = "/v1/webhooks/{id}/deliveries"))),
        Unauthorized, JsonBody, Invalid,
    ))]
async fn create_webhook(ctx: Ctx, user: UserId, input: WebhookInput) -> Response {
    let made = ctx
        .run(move |app| async move { app.create_webhook(user, &input).await })
        .await;
    match made {
        Ok(hook) => crate::answers::created(
            &hook,
            &format!("/v1/webhooks/{}/deliveries", hook.webhook.id),
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Your webhooks, oldest first (without their secrets).
#[utoipa::path(get, path = "/v1/webhooks", operation_id = "listWebhooks",
    responses(
        (status = 200, description = "The webhooks", body = WebhookList),
        Unauthorized,
    ))]
async fn list_webhooks(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_webhooks(user).await
    })
    .await
}

/// Delete a webhook; what it had yet to deliver is dropped.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", operation_id = "deleteWebhook",
    params(("id" = uuid::Uuid, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, NoWebhook,
    ))]
async fn delete_webhook(id: WebhookId, ctx: Ctx, user: UserId) -> Response {
    let done = ctx
        .run(move |app| async move { app.delete_webhook(user, id).await })
        .await;
    crate::answers::no_content(done)
}

/// The webhook's latest 100 deliveries, newest first: each event's `state` (`pending`,
/// `delivered`, `failed`), when it is tried next, and every attempt with its answer.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", operation_id = "listWebhookDeliveries",
    params(("id" = uuid::Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The deliveries", body = DeliveryList),
        Unauthorized, NoWebhook,
    ))]
async fn list_deliveries(id: WebhookId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_deliveries(user, id).await
    })
    .await
}
