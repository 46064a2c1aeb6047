//! How the state answers keys and answers about sharing: the invitations shown at start
//! and the members pane.

use crate::components::form::Form;
use crate::message::{Answer, Effect, Key};

use super::{Mode, State, Status};

impl State {
    /// Opens the selected account's members.
    pub(super) fn open_members(&mut self) -> Vec<Effect> {
        let Some(account) = self.accounts.current().cloned() else {
            self.status = Some(Status::Error("Create an account first: press n".into()));
            return Vec::new();
        };
        self.mode = Mode::Members;
        self.sharing.account = Some(account.clone());
        self.sharing.members.clear();
        self.sharing.row = 0;
        vec![Effect::LoadMembers(account)]
    }

    pub(super) fn sharing_key(&mut self, key: Key) -> Vec<Effect> {
        let invitations = self.mode == Mode::Invitations;
        match key {
            Key::Quit => {
                self.quit = true;
                Vec::new()
            }
            Key::Cancel | Key::ToggleMembers => {
                self.mode = Mode::Normal;
                Vec::new()
            }
            Key::Up | Key::Down => {
                let len = if invitations {
                    self.sharing.invitations.len()
                } else {
                    self.sharing.members.len()
                };
                self.sharing.step(key == Key::Down, len);
                Vec::new()
            }
            Key::Accept | Key::Remove if invitations => match self.sharing.invitation() {
                Some(inv) => vec![Effect::AnswerInvitation {
                    id: inv.id,
                    accept: key == Key::Accept,
                }],
                None => Vec::new(),
            },
            Key::Invite if !invitations => {
                self.mode = Mode::Form(Form::invite());
                Vec::new()
            }
            Key::Remove if !invitations => {
                let (Some(account), Some(member)) =
                    (self.sharing.account.clone(), self.sharing.member())
                else {
                    return Vec::new();
                };
                match member.user_id {
                    Some(id) => vec![Effect::RemoveMember {
                        account,
                        member: id,
                    }],
                    None => {
                        self.status = Some(Status::Error(
                            "They have not signed up yet: the invitation expires by itself".into(),
                        ));
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn sharing_answer(&mut self, answer: Answer) -> Vec<Effect> {
        match answer {
            Answer::InvitationsLoaded(list) => {
                self.sharing.invitations = list.items;
                self.sharing.row = 0;
                match (self.sharing.invitations.len(), &self.mode) {
                    (0, Mode::Invitations) => self.mode = Mode::Normal,
                    (n, Mode::Normal) if n > 0 => {
                        self.mode = Mode::Invitations;
                        self.status = Some(Status::Info(format!(
                            "{n} invitation(s) to a shared account: y accepts, x declines"
                        )));
                    }
                    _ => {}
                }
                Vec::new()
            }
            Answer::InvitationAnswered(joined) => {
                self.status = Some(Status::Info(match joined {
                    Some(a) => format!("Joined {} as {}", a.name, a.role.as_str()),
                    None => "Declined".into(),
                }));
                vec![self.load_profile(), Effect::LoadInvitations]
            }
            Answer::MembersLoaded { account, list } => {
                if self.sharing.account.as_ref().map(|a| a.id) == Some(account) {
                    self.sharing.members = list.items;
                    self.sharing.row = self
                        .sharing
                        .row
                        .min(self.sharing.members.len().saturating_sub(1));
                }
                Vec::new()
            }
            Answer::MemberInvited(member) => {
                self.mode = Mode::Members;
                self.status = Some(Status::Info(format!(
                    "Invited {} as {}: they were mailed",
                    member.email,
                    member.role.as_str()
                )));
                self.reload_members()
            }
            Answer::MemberRemoved => {
                self.status = Some(Status::Info("Removed".into()));
                let mut effects = self.reload_members();
                // Removing oneself is leaving: the account goes from the list.
                effects.push(self.load_profile());
                effects
            }
            _ => Vec::new(),
        }
    }

    fn reload_members(&self) -> Vec<Effect> {
        self.sharing
            .account
            .clone()
            .map(Effect::LoadMembers)
            .into_iter()
            .collect()
    }
}
