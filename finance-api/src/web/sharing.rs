//! Sharing: the members of each account the user sees (the owner invites, changes roles
//! and removes; a member may leave) and the invitations waiting for the user.

use finance_core::domain::{
    Account, AccountId, Action, Invitation, InvitationId, Member, MemberInput, MemberStatus, Role,
    RoleInput, UserId, ValidationError,
};
use maud::{Markup, html};
use warp::Filter;
use warp::reply::Response;

use super::form::Form;
use super::layout::{Nav, Notice, csrf, failed, html, page, see};
use super::session::{Session, posted, session};
use crate::context::Ctx;
use crate::filters::with_ctx;
use crate::routes::Route;

pub(super) fn routes(ctx: Ctx) -> Route {
    let show = warp::path!("sharing")
        .and(warp::get())
        .and(with_ctx(ctx.clone()))
        .and(session(ctx.clone()))
        .then(|ctx: Ctx, s: Session| async move { sharing_page(&ctx, &s, Notice::None).await });
    let invite = warp::path!("accounts" / AccountId / "members")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(invite);
    let role = warp::path!("accounts" / AccountId / "members" / UserId / "role")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(change_role);
    let remove = warp::path!("accounts" / AccountId / "members" / UserId / "remove")
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx.clone()))
        .then(remove);
    let answer = warp::path!("invitations" / InvitationId / String)
        .and(with_ctx(ctx.clone()))
        .and(posted(ctx))
        .then(answer);
    show.or(invite)
        .unify()
        .or(role)
        .unify()
        .or(remove)
        .unify()
        .or(answer)
        .unify()
        .boxed()
}

fn role_of(form: &Form) -> Result<Role, finance_core::Error> {
    form.get("role")
        .and_then(Role::from_name)
        .ok_or_else(|| ValidationError::new("role", "choose owner, editor or viewer").into())
}

/// Runs `work` and shows the sharing page: again with the failure, or `done` on success.
async fn then_page<F, Fut, T>(ctx: &Ctx, s: &Session, work: F) -> Response
where
    F: FnOnce(std::sync::Arc<finance_core::App>) -> Fut,
    Fut: std::future::Future<Output = Result<T, finance_core::Error>> + Send + 'static,
    T: Send + 'static,
{
    match ctx.run(work).await {
        Ok(_) => see("/sharing"),
        Err(e) => sharing_page(ctx, s, Notice::of(e).1).await,
    }
}

async fn invite(account: AccountId, ctx: Ctx, s: Session, form: Form) -> Response {
    let user = s.user();
    let role = match role_of(&form) {
        Ok(role) => role,
        Err(e) => return sharing_page(&ctx, &s, Notice::of(e).1).await,
    };
    let input = MemberInput {
        email: form.text("email"),
        role,
    };
    then_page(&ctx, &s, move |app| async move {
        app.invite_member(user, account, &input, None).await
    })
    .await
}

async fn change_role(
    account: AccountId,
    member: UserId,
    ctx: Ctx,
    s: Session,
    form: Form,
) -> Response {
    let user = s.user();
    let role = match role_of(&form) {
        Ok(role) => role,
        Err(e) => return sharing_page(&ctx, &s, Notice::of(e).1).await,
    };
    then_page(&ctx, &s, move |app| async move {
        app.change_member(user, account, member, &RoleInput { role })
            .await
    })
    .await
}

async fn remove(account: AccountId, member: UserId, ctx: Ctx, s: Session, _form: Form) -> Response {
    let user = s.user();
    then_page(&ctx, &s, move |app| async move {
        app.remove_member(user, account, member).await
    })
    .await
}

async fn answer(id: InvitationId, answer: String, ctx: Ctx, s: Session, _form: Form) -> Response {
    let user = s.user();
    match answer.as_str() {
        "accept" => match ctx
            .run(move |app| async move { app.accept_invitation(user, id).await })
            .await
        {
            Ok(account) => see(&format!("/accounts/{}", account.id)),
            Err(e) => sharing_page(&ctx, &s, Notice::of(e).1).await,
        },
        "decline" => {
            then_page(&ctx, &s, move |app| async move {
                app.decline_invitation(user, id).await
            })
            .await
        }
        _ => failed(&s, finance_core::Error::NotFound),
    }
}

async fn sharing_page(ctx: &Ctx, s: &Session, notice: Notice) -> Response {
    let user = s.user();
    let read = ctx
        .run(move |app| async move {
            let (accounts, invitations) =
                tokio::join!(app.list_accounts(user), app.list_invitations(user));
            let accounts = accounts?;
            let members = futures_util::future::try_join_all(
                accounts.iter().map(|a| app.list_members(user, a.id)),
            )
            .await?;
            Ok((accounts, members, invitations?))
        })
        .await;
    let (accounts, members, invitations) = match read {
        Ok(read) => read,
        Err(e) => return failed(s, e),
    };
    let status = notice.status();
    let body = html! {
        section aria-labelledby="invitations" {
            h2 id="invitations" { "Invitations to you" }
            @if invitations.items.is_empty() { p { "None waiting." } }
            @for i in &invitations.items { (invitation(s, i)) }
        }
        @for (a, m) in accounts.iter().zip(&members) { (account_members(s, a, &m.items)) }
    };
    html(
        status,
        page("Sharing", Some(s), Nav::Sharing, &notice, body),
    )
}

fn invitation(s: &Session, i: &Invitation) -> Markup {
    html! {
        div.card {
            p { (i.invited_by.email.as_ref().map(|e| e.to_string()).unwrap_or_default())
                " invites you to " strong { (i.account.name) } " (" (i.account.currency.code()) ") as "
                (i.role.as_str()) ", until " (i.expires_at.date()) "." }
            form.inline method="post" action={"/invitations/" (i.id) "/accept"} {
                (csrf(s)) button type="submit" { "Accept" }
            }
            form.inline method="post" action={"/invitations/" (i.id) "/decline"} {
                (csrf(s)) button.danger type="submit" { "Decline" }
            }
        }
    }
}

fn account_members(s: &Session, a: &Account, members: &[Member]) -> Markup {
    let owner = a.role.may(Action::Manage);
    html! {
        section.card id={"account-" (a.id)} aria-labelledby={"h-" (a.id)} {
            h2 id={"h-" (a.id)} { a href={"/accounts/" (a.id)} { (a.name) } }
            table.members {
                thead { tr { th scope="col" { "Member" } th scope="col" { "Role" } th scope="col" { "Status" }
                    th scope="col" { span.visually-hidden { "Actions" } } } }
                tbody {
                    @for m in members {
                        @let me = m.user_id == Some(s.user());
                        tr {
                            th scope="row" { (m.email) @if me { " (you)" } }
                            td { (m.role.as_str()) }
                            td { @match m.status { MemberStatus::Active => "active", MemberStatus::Invited => "invited" } }
                            td { (member_actions(s, a, m, owner, me)) }
                        }
                    }
                }
            }
            @if owner {
                form.inline-form method="post" action={"/accounts/" (a.id) "/members"} {
                    (csrf(s))
                    label for={"invite-" (a.id)} { "Invite by email" }
                    input id={"invite-" (a.id)} name="email" type="email" required;
                    label for={"invite-role-" (a.id)} { "as" }
                    select id={"invite-role-" (a.id)} name="role" {
                        option value="editor" { "editor" } option value="viewer" { "viewer" }
                    }
                    button type="submit" { "Invite" }
                }
            }
        }
    }
}

fn member_actions(s: &Session, a: &Account, m: &Member, owner: bool, me: bool) -> Markup {
    let Some(id) = m.user_id else { return html! {} };
    html! {
        @if owner && !me && m.status == MemberStatus::Active {
            form.inline method="post" action={"/accounts/" (a.id) "/members/" (id) "/role"} {
                (csrf(s))
                label.visually-hidden for={"role-" (a.id) "-" (id)} { "Role of " (m.email) }
                select id={"role-" (a.id) "-" (id)} name="role" {
                    @for r in ["editor", "viewer", "owner"] {
                        option value=(r) selected[r == m.role.as_str()] { (r) }
                    }
                }
                button type="submit" { "Change" }
            }
        }
        @if (owner && !me) || (me && m.role != Role::Owner) {
            form.inline method="post" action={"/accounts/" (a.id) "/members/" (id) "/remove"} {
                (csrf(s))
                button.danger type="submit" { @if me { "Leave" } @else { "Remove" } }
            }
        }
    }
}
