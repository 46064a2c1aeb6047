use finance_core::domain::{
    Applied, ApplyInput, Rule, RuleId, RuleInput, RuleList, RulePatch, RulePreview, UserId,
    ValidationError,
};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::{Reply, Response};

use super::endpoint::{endpoint, endpoint1};
use super::responses::{Forbidden, Invalid, InvalidQuery, JsonBody, NoRule, Unauthorized};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, query, signed_in};
use crate::problem::Problem;

/// The query of a preview.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PreviewQuery {
    /// Show categories that are set already replaced too (as an apply with
    /// `overwrite: true` would); default false.
    #[param(value_type = Option<bool>)]
    overwrite: Option<String>,
}

impl PreviewQuery {
    fn overwrite(&self) -> Result<bool, ValidationError> {
        match self.overwrite.as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(ValidationError::new(
                "overwrite",
                format!("{other:?} is neither true nor false"),
            )),
        }
    }
}

/// Rules: `/rules[/{id}[/preview|/apply]]`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let create = endpoint::<__path_create_rule>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body())
        .then(create_rule);
    let list = endpoint::<__path_list_rules>()
        .and(signed_in(ctx.clone()))
        .then(list_rules);
    let get = endpoint1::<__path_get_rule, RuleId>()
        .and(signed_in(ctx.clone()))
        .then(get_rule);
    let edit = endpoint1::<__path_edit_rule, RuleId>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(edit_rule);
    let delete = endpoint1::<__path_delete_rule, RuleId>()
        .and(signed_in(ctx.clone()))
        .then(delete_rule);
    let preview = endpoint1::<__path_preview_rule, RuleId>()
        .and(signed_in(ctx.clone()))
        .and(query())
        .then(preview_rule);
    let apply = endpoint1::<__path_apply_rule, RuleId>()
        .and(signed_in(ctx))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body())
        .then(apply_rule);
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
            .or(preview)
            .unify()
            .or(apply)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_rule,
    list_rules,
    get_rule,
    edit_rule,
    delete_rule,
    preview_rule,
    apply_rule
))]
pub(super) struct Doc;

/// Make a rule. When you record a movement (here, in the CLI, by a bank import or a
/// schedule) on an account you may write to, your rules are tried in position order; per
/// field the first matching rule that names it wins: it sets the category when the
/// movement has none (and is not split), rewrites the description, and every matching
/// rule's tags are added. The movement records the first rule that changed it as
/// `rule_id`. At least one condition and one action.
#[utoipa::path(post, path = "/v1/rules", operation_id = "createRule",
    params(
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first rule and writes nothing"),
    ),
    request_body = RuleInput,
    responses(
        (status = 201, description = "Made (or, for a retry with the same Idempotency-Key, the first rule again, with Idempotency-Replayed: true)", body = Rule,
            headers(("Location" = String, description = "/v1/rules/{id}"))),
        (status = 409, description = "The Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        Unauthorized, JsonBody, Invalid,
    ))]
async fn create_rule(ctx: Ctx, user: UserId, key: Option<String>, input: RuleInput) -> Response {
    let made = ctx
        .run(move |app| async move { app.create_rule(user, &input, key.as_deref()).await })
        .await;
    match made {
        Ok((rule, replayed)) => crate::answers::replayed(
            crate::answers::created(&rule, &format!("/v1/rules/{}", rule.id)),
            replayed,
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

/// Your rules in the order they are tried, each with `applied`: how many movements record
/// it as the rule that changed them.
#[utoipa::path(get, path = "/v1/rules", operation_id = "listRules",
    responses(
        (status = 200, description = "The rules", body = RuleList),
        Unauthorized,
    ))]
async fn list_rules(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_rules(user).await
    })
    .await
}

/// One rule.
#[utoipa::path(get, path = "/v1/rules/{id}", operation_id = "getRule",
    params(("id" = uuid::Uuid, Path, description = "Rule id")),
    responses(
        (status = 200, description = "The rule", body = Rule),
        Unauthorized, NoRule,
    ))]
async fn get_rule(id: RuleId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.get_rule(user, id).await
    })
    .await
}

/// Change a rule: what is sent replaces what was (`when` and `then` whole); a new
/// `position` moves it and renumbers the others.
#[utoipa::path(patch, path = "/v1/rules/{id}", operation_id = "editRule",
    params(("id" = uuid::Uuid, Path, description = "Rule id")),
    request_body = RulePatch,
    responses(
        (status = 200, description = "The rule as changed", body = Rule),
        Unauthorized, JsonBody, Invalid, NoRule,
    ))]
async fn edit_rule(id: RuleId, ctx: Ctx, user: UserId, patch: RulePatch) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.edit_rule(user, id, &patch).await
    })
    .await
}

/// Delete a rule; the rules after it move up. Movements keep its id as `rule_id`.
#[utoipa::path(delete, path = "/v1/rules/{id}", operation_id = "deleteRule",
    params(("id" = uuid::Uuid, Path, description = "Rule id")),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, NoRule,
    ))]
async fn delete_rule(id: RuleId, ctx: Ctx, user: UserId) -> Response {
    let done = ctx
        .run(move |app| async move { app.delete_rule(user, id).await })
        .await;
    crate::answers::no_content(done)
}

/// What the rule would change among your existing movements on accounts you may write
/// to: the first 200, newest first, each as it is and as it would be. Changes nothing.
#[utoipa::path(post, path = "/v1/rules/{id}/preview", operation_id = "previewRule",
    params(("id" = uuid::Uuid, Path, description = "Rule id"), PreviewQuery),
    responses(
        (status = 200, description = "The movements it would change", body = RulePreview),
        Unauthorized, InvalidQuery, NoRule,
    ))]
async fn preview_rule(id: RuleId, ctx: Ctx, user: UserId, q: PreviewQuery) -> Response {
    let overwrite = match q.overwrite() {
        Ok(o) => o,
        Err(e) => return Problem::from(finance_core::Error::from(e)).into_response(),
    };
    ctx.answer(StatusCode::OK, move |app| async move {
        app.preview_rule(user, id, overwrite).await
    })
    .await
}

/// Apply the rule to your existing movements, in one transaction: every movement the
/// preview would show (all of them, not only 200). With `overwrite`, categories that are
/// set are replaced too. Answers how many changed.
#[utoipa::path(post, path = "/v1/rules/{id}/apply", operation_id = "applyRule",
    params(
        ("id" = uuid::Uuid, Path, description = "Rule id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first count and changes nothing"),
    ),
    request_body = ApplyInput,
    responses(
        (status = 200, description = "Applied (or, for a retry with the same Idempotency-Key, the first answer again, with Idempotency-Replayed: true)", body = Applied),
        (status = 409, description = "The Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Movements kept changing while the rule was applied; nothing changed, try again", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoRule,
    ))]
async fn apply_rule(
    id: RuleId,
    ctx: Ctx,
    user: UserId,
    key: Option<String>,
    input: ApplyInput,
) -> Response {
    let applied = ctx
        .run(move |app| async move { app.apply_rule(user, id, &input, key.as_deref()).await })
        .await;
    match applied {
        Ok((applied, replayed)) => {
            crate::answers::replayed(super::json(StatusCode::OK, &applied), replayed)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
