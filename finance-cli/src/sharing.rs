//! Sharing accounts: inviting, members, invitations, handing over and leaving.

use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::{
    Account, Email, InvitationId, MemberInput, MemberStatus, Role, RoleInput, UserId,
};

use crate::cli::{AccountCommand, Command};
use crate::lookup::{describe, find};
use crate::output::Out;

/// Runs one command of this group.
pub async fn run(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        Command::Share {
            account,
            email,
            role,
        } => {
            let a = find(f, &account).await?;
            let role = if role == "editor" {
                Role::Editor
            } else {
                Role::Viewer
            };
            let member = f
                .invite(&a, &MemberInput { email, role })
                .await
                .map_err(fail)?;
            if out.json() {
                out.value(&member)
            } else {
                out.line(&format!(
                    "Invited {} to {} as {}: they accept with `finance invitations` once signed in",
                    member.email,
                    a.name,
                    role.as_str()
                ))
            }
        }
        Command::Members { account, remove } => {
            let a = find(f, &account).await?;
            match remove {
                Some(email) => {
                    let who = member_id(f, &a, &email).await?;
                    f.remove_member(&a, who).await.map_err(fail)?;
                    out.line(&format!("Removed {email} from {}", a.name));
                }
                None => {
                    let list = f.members(&a).await.map_err(fail)?;
                    if out.json() {
                        out.value(&list)
                    } else {
                        out.members(&list)
                    }
                }
            }
        }
        Command::Invitations { accept, decline } => match accept.or(decline.clone()) {
            Some(id) => {
                let id = InvitationId::parse("id", &id).map_err(|_| {
                    format!("{id:?} is not an invitation id (see `finance invitations`)")
                })?;
                let accepting = decline.is_none();
                match f.answer_invitation(id, accepting).await.map_err(fail)? {
                    Some(a) if out.json() => out.value(&a),
                    Some(a) => out.line(&format!(
                        "You are now {} of {}: it is in `finance accounts`",
                        article(a.role),
                        a.name
                    )),
                    None => out.line("Declined"),
                }
            }
            None => {
                let list = f.invitations().await.map_err(fail)?;
                if out.json() {
                    out.value(&list)
                } else {
                    out.invitations(&list)
                }
            }
        },
        Command::Leave { account } => {
            let a = find(f, &account).await?;
            let me = f.profile().await.map_err(fail)?.user.id;
            f.remove_member(&a, me).await.map_err(fail)?;
            out.line(&format!("You left {}", a.name));
        }
        Command::Account(AccountCommand::HandOver { account, email }) => {
            let a = find(f, &account).await?;
            let who = member_id(f, &a, &email).await?;
            let input = RoleInput { role: Role::Owner };
            let member = f.change_member(&a, who, &input).await.map_err(fail)?;
            if out.json() {
                out.value(&member)
            } else {
                out.line(&format!(
                    "{} now owns {}; you are an editor",
                    member.email, a.name
                ))
            }
        }
        _ => {}
    }
    Ok(())
}

/// The user id of the member (or invited user) with `email`.
async fn member_id(f: &dyn Finance, a: &Account, email: &str) -> Result<UserId, String> {
    let wanted = Email::parse(email).map_err(|e| format!("invalid input: {e}"))?;
    let list = f.members(a).await.map_err(|e| describe(e, f))?;
    list.items
        .iter()
        .find(|m| m.email == wanted)
        .and_then(|m| m.user_id)
        .ok_or_else(|| {
            let invited = list
                .items
                .iter()
                .any(|m| m.email == wanted && m.status == MemberStatus::Invited);
            if invited {
                format!(
                    "{email} is invited but has not signed up yet; the invitation expires by itself"
                )
            } else {
                format!(
                    "{email} is not a member of {} (see `finance members {}`)",
                    a.name, a.name
                )
            }
        })
}

fn article(role: Role) -> &'static str {
    match role {
        Role::Owner => "the owner",
        Role::Editor => "an editor",
        Role::Viewer => "a viewer",
    }
}
