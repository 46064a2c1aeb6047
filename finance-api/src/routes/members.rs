use finance_core::domain::{
    Account, AccountId, InvitationId, InvitationList, Member, MemberInput, MemberList, RoleInput,
    UserId,
};
use warp::Filter;
use warp::http::StatusCode;
use warp::reply::Reply;
use warp::reply::Response;

use super::endpoint::{endpoint, endpoint1, endpoint2};
use super::responses::{
    Forbidden, Invalid, JsonBody, NoAccount, NoInvitation, NoMember, Unauthorized,
};
use super::{Route, boxed};
use crate::context::Ctx;
use crate::filters::{json_body, signed_in};
use crate::problem::Problem;

/// Sharing: `/accounts/{id}/members[/{user_id}]` and `/invitations[/{id}/accept|decline]`.
pub(super) fn routes(ctx: Ctx) -> Route {
    let invite = endpoint1::<__path_invite_member, AccountId>()
        .and(signed_in(ctx.clone()))
        .and(warp::header::optional::<String>("idempotency-key"))
        .and(json_body())
        .then(invite_member);
    let list = endpoint1::<__path_list_members, AccountId>()
        .and(signed_in(ctx.clone()))
        .then(list_members);
    let change = endpoint2::<__path_change_member, AccountId, UserId>()
        .and(signed_in(ctx.clone()))
        .and(json_body())
        .then(change_member);
    let remove = endpoint2::<__path_remove_member, AccountId, UserId>()
        .and(signed_in(ctx.clone()))
        .then(remove_member);
    let invitations = endpoint::<__path_list_invitations>()
        .and(signed_in(ctx.clone()))
        .then(list_invitations);
    let accept = endpoint1::<__path_accept_invitation, InvitationId>()
        .and(signed_in(ctx.clone()))
        .then(accept_invitation);
    let decline = endpoint1::<__path_decline_invitation, InvitationId>()
        .and(signed_in(ctx))
        .then(decline_invitation);
    boxed(
        invite
            .or(list)
            .unify()
            .or(change)
            .unify()
            .or(remove)
            .unify()
            .or(invitations)
            .unify()
            .or(accept)
            .unify()
            .or(decline)
            .unify(),
    )
}

/// This file's operations in the document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    invite_member,
    list_members,
    change_member,
    remove_member,
    list_invitations,
    accept_invitation,
    decline_invitation
))]
pub(super) struct Doc;

/// Invite an email to the account as an editor or a viewer (owner only). The invitee is
/// mailed; the invitation is valid for 7 days and accepted by signing in as that email.
#[utoipa::path(post, path = "/v1/accounts/{id}/members", operation_id = "inviteMember",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "1 to 255 visible ASCII characters; a retry with the same key and body returns the first invitation, mails nothing and writes nothing"),
    ),
    request_body = MemberInput,
    responses(
        (status = 201, description = "Invited (or, for a retry with the same Idempotency-Key, the first invitation again, with Idempotency-Replayed: true)", body = Member),
        (status = 409, description = "The email is already a member or invited, or the Idempotency-Key was used with another body", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoAccount,
    ))]
async fn invite_member(
    id: AccountId,
    ctx: Ctx,
    user: UserId,
    key: Option<String>,
    input: MemberInput,
) -> Response {
    let invited = ctx
        .run(move |app| async move { app.invite_member(user, id, &input, key.as_deref()).await })
        .await;
    match invited {
        Ok((member, replayed)) => {
            crate::answers::replayed(super::json(StatusCode::CREATED, &member), replayed)
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// The account's members, the owner first, and its pending invitations (any member).
#[utoipa::path(get, path = "/v1/accounts/{id}/members", operation_id = "listMembers",
    params(("id" = uuid::Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "The members", body = MemberList),
        Unauthorized, NoAccount,
    ))]
async fn list_members(id: AccountId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_members(user, id).await
    })
    .await
}

/// Give a member another role (owner only); `owner` hands the account over and makes
/// the old owner an editor.
#[utoipa::path(patch, path = "/v1/accounts/{id}/members/{user_id}", operation_id = "changeMember",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("user_id" = uuid::Uuid, Path, description = "The member's user id"),
    ),
    request_body = RoleInput,
    responses(
        (status = 200, description = "The member as changed", body = Member),
        (status = 409, description = "The owner giving up the role without handing over, or the new owner has an account of that name", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, JsonBody, Invalid, NoMember,
    ))]
async fn change_member(
    id: AccountId,
    member: UserId,
    ctx: Ctx,
    user: UserId,
    input: RoleInput,
) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.change_member(user, id, member, &input).await
    })
    .await
}

/// Remove a member (owner), or leave (a member, with their own user id); the owner hands
/// the account over before leaving. An invited user's invitation is withdrawn.
#[utoipa::path(delete, path = "/v1/accounts/{id}/members/{user_id}", operation_id = "removeMember",
    params(
        ("id" = uuid::Uuid, Path, description = "Account id"),
        ("user_id" = uuid::Uuid, Path, description = "The member's user id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The owner cannot leave without handing over", body = Problem, content_type = "application/problem+json"),
        Unauthorized, Forbidden, NoMember,
    ))]
async fn remove_member(id: AccountId, member: UserId, ctx: Ctx, user: UserId) -> Response {
    let removed = ctx
        .run(move |app| async move { app.remove_member(user, id, member).await })
        .await;
    super::no_content(removed)
}

/// The pending invitations to the signed-in user's email, soonest to expire first.
#[utoipa::path(get, path = "/v1/invitations", operation_id = "listInvitations",
    responses(
        (status = 200, description = "The invitations", body = InvitationList),
        Unauthorized,
    ))]
async fn list_invitations(ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.list_invitations(user).await
    })
    .await
}

/// Accept an invitation: join the account with its role (a retry answers the same).
#[utoipa::path(post, path = "/v1/invitations/{id}/accept", operation_id = "acceptInvitation",
    params(("id" = uuid::Uuid, Path, description = "Invitation id")),
    responses(
        (status = 200, description = "The account, as the new member sees it", body = Account),
        Unauthorized, NoInvitation,
    ))]
async fn accept_invitation(id: InvitationId, ctx: Ctx, user: UserId) -> Response {
    ctx.answer(StatusCode::OK, move |app| async move {
        app.accept_invitation(user, id).await
    })
    .await
}

/// Decline an invitation (a retry answers the same).
#[utoipa::path(post, path = "/v1/invitations/{id}/decline", operation_id = "declineInvitation",
    params(("id" = uuid::Uuid, Path, description = "Invitation id")),
    responses(
        (status = 204, description = "Declined"),
        Unauthorized, NoInvitation,
    ))]
async fn decline_invitation(id: InvitationId, ctx: Ctx, user: UserId) -> Response {
    let declined = ctx
        .run(move |app| async move { app.decline_invitation(user, id).await })
        .await;
    super::no_content(declined)
}
