//! Random sequences of invite, accept, decline, change role (hand over), remove, leave and
//! delete-me against a plain model of who is a member with which role. After each step,
//! each user sees exactly the accounts the model says with the model's role, may write to
//! exactly those where the model's role writes, and every account has one owner.

use std::collections::BTreeMap;

use finance_core::domain::*;
use finance_core::ports::*;
use proptest::prelude::*;
use time::macros::date;

use super::support::Store;
use super::support::fixtures::*;
use super::{invitation, support};

const PEOPLE: usize = 3;

#[derive(Debug, Clone)]
pub enum Op {
    Invite {
        actor: usize,
        account: usize,
        to: usize,
        viewer: bool,
    },
    Answer {
        user: usize,
        account: usize,
        accept: bool,
    },
    SetRole {
        actor: usize,
        account: usize,
        member: usize,
        role: Role,
    },
    Remove {
        actor: usize,
        account: usize,
        member: usize,
    },
    DeleteMe {
        user: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..PEOPLE;
    let role = prop_oneof![Just(Role::Owner), Just(Role::Editor), Just(Role::Viewer)];
    prop_oneof![
        4 => (who.clone(), who.clone(), who.clone(), any::<bool>())
            .prop_map(|(actor, account, to, viewer)| Op::Invite { actor, account, to, viewer }),
        4 => (who.clone(), who.clone(), any::<bool>())
            .prop_map(|(user, account, accept)| Op::Answer { user, account, accept }),
        2 => (who.clone(), who.clone(), who.clone(), role)
            .prop_map(|(actor, account, member, role)| Op::SetRole { actor, account, member, role }),
        2 => (who.clone(), who.clone(), who.clone())
            .prop_map(|(actor, account, member)| Op::Remove { actor, account, member }),
        1 => who.prop_map(|user| Op::DeleteMe { user }),
    ]
}

/// Who is where, as the rules say it should be.
#[derive(Default)]
struct Model {
    gone: [bool; PEOPLE],
    /// Per account (by its first owner's index): `None` once deleted, else its members.
    members: Vec<Option<BTreeMap<usize, Role>>>,
    /// Pending invitations: (account, invitee) → (role, id).
    invited: BTreeMap<(usize, usize), (Role, InvitationId)>,
}

/// What the model says a call answers: `Ok`, or the error's kind.
#[derive(Debug, PartialEq)]
enum Outcome {
    Ok,
    NotFound,
    Forbidden,
    Refused(Refusal),
}

fn outcome<T>(r: &Result<T, StoreError>) -> Outcome {
    match r {
        Ok(_) => Outcome::Ok,
        Err(StoreError::NotFound) => Outcome::NotFound,
        Err(StoreError::Forbidden) => Outcome::Forbidden,
        Err(StoreError::Refused(why)) => Outcome::Refused(*why),
        Err(other) => panic!("unexpected {other:?}"),
    }
}

impl Model {
    fn role(&self, account: usize, user: usize) -> Option<Role> {
        self.members[account].as_ref()?.get(&user).copied()
    }

    fn owner(&self, account: usize) -> Option<usize> {
        let members = self.members[account].as_ref()?;
        members
            .iter()
            .find(|(_, r)| **r == Role::Owner)
            .map(|(u, _)| *u)
    }

    fn invite(
        &mut self,
        actor: usize,
        account: usize,
        to: usize,
        role: Role,
        id: InvitationId,
    ) -> Outcome {
        match self.role(account, actor) {
            None => Outcome::NotFound,
            Some(Role::Owner) => {
                if self.role(account, to).is_some() || self.invited.contains_key(&(account, to)) {
                    Outcome::Refused(Refusal::AlreadyMember)
                } else {
                    self.invited.insert((account, to), (role, id));
                    Outcome::Ok
                }
            }
            Some(_) => Outcome::Forbidden,
        }
    }

    fn answer(&mut self, user: usize, account: usize, accept: bool) -> Outcome {
        match self.invited.remove(&(account, user)) {
            None => Outcome::NotFound,
            Some((role, _)) => {
                if accept && let Some(members) = self.members[account].as_mut() {
                    members.insert(user, role);
                }
                Outcome::Ok
            }
        }
    }

    fn set_role(&mut self, actor: usize, account: usize, member: usize, role: Role) -> Outcome {
        let Some(mine) = self.role(account, actor) else {
            return Outcome::NotFound;
        };
        if actor == member {
            return match (mine, role) {
                (Role::Owner, Role::Owner) => Outcome::Ok,
                (Role::Owner, _) => Outcome::Refused(Refusal::OwnerMustHandOver),
                _ => Outcome::Forbidden,
            };
        }
        if mine != Role::Owner {
            return Outcome::Forbidden;
        }
        if self.role(account, member).is_none() {
            return Outcome::NotFound;
        }
        let members = self.members[account].as_mut().expect("live");
        if role == Role::Owner {
            members.insert(actor, Role::Editor);
        }
        members.insert(member, role);
        Outcome::Ok
    }

    fn remove(&mut self, actor: usize, account: usize, member: usize) -> Outcome {
        let Some(mine) = self.role(account, actor) else {
            return Outcome::NotFound;
        };
        if actor == member {
            if mine == Role::Owner {
                return Outcome::Refused(Refusal::OwnerMustHandOver);
            }
        } else if mine != Role::Owner {
            return Outcome::Forbidden;
        }
        let was_member = self.members[account]
            .as_mut()
            .and_then(|m| m.remove(&member))
            .is_some();
        // An invitation is withdrawn by its user's id: one to a user who has left stays.
        let was_invited = !self.gone[member] && self.invited.remove(&(account, member)).is_some();
        if was_member || was_invited {
            Outcome::Ok
        } else {
            Outcome::NotFound
        }
    }

    fn delete_me(&mut self, user: usize) -> Outcome {
        let shares = (0..PEOPLE).any(|a| {
            self.owner(a) == Some(user) && self.members[a].as_ref().is_some_and(|m| m.len() > 1)
        });
        if shares {
            return Outcome::Refused(Refusal::AccountShared);
        }
        for a in 0..PEOPLE {
            if self.owner(a) == Some(user) {
                self.members[a] = None;
                self.invited.retain(|(acc, _), _| *acc != a);
            } else if let Some(m) = self.members[a].as_mut() {
                m.remove(&user);
            }
        }
        self.invited.retain(|(_, to), _| *to != user);
        self.gone[user] = true;
        Outcome::Ok
    }
}

/// Runs `ops` on `s` and checks it against the model after each.
async fn run(s: &impl Store, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut people = Vec::new();
    let mut accounts = Vec::new();
    let mut model = Model::default();
    for i in 0..PEOPLE {
        let person = user(s, &format!("p{i}@example.com")).await;
        accounts.push(account(s, person.id, &format!("A{i}"), eur()).await);
        model.members.push(Some(BTreeMap::from([(i, Role::Owner)])));
        people.push(person);
    }
    for (step, op) in ops.iter().enumerate() {
        let (got, expected) = match *op {
            Op::Invite {
                actor,
                account,
                to,
                viewer,
            } if !model.gone[actor] => {
                let role = if viewer { Role::Viewer } else { Role::Editor };
                let inv = invitation(&accounts[account], &people[actor], &people[to].email, role);
                let expected = model.invite(actor, account, to, role, inv.id);
                (outcome(&s.invite(&inv, NOW, None).await), expected)
            }
            Op::Answer {
                user,
                account,
                accept,
            } if !model.gone[user] => {
                let id = model
                    .invited
                    .get(&(account, user))
                    .map_or_else(InvitationId::random, |(_, id)| *id);
                let who = &people[user];
                let got = s
                    .answer_invitation(who.id, &who.email, id, accept, NOW)
                    .await;
                (outcome(&got), model.answer(user, account, accept))
            }
            Op::SetRole {
                actor,
                account,
                member,
                role,
            } if !model.gone[actor] => {
                let got = s
                    .set_role(
                        people[actor].id,
                        accounts[account].id,
                        people[member].id,
                        role,
                        time::OffsetDateTime::now_utc(),
                    )
                    .await;
                (outcome(&got), model.set_role(actor, account, member, role))
            }
            Op::Remove {
                actor,
                account,
                member,
            } if !model.gone[actor] => {
                let got = s
                    .remove_member(
                        people[actor].id,
                        accounts[account].id,
                        people[member].id,
                        time::OffsetDateTime::now_utc(),
                    )
                    .await;
                (outcome(&got), model.remove(actor, account, member))
            }
            Op::DeleteMe { user } if !model.gone[user] => (
                outcome(
                    &s.delete_user(people[user].id, time::OffsetDateTime::now_utc())
                        .await,
                ),
                model.delete_me(user),
            ),
            _ => continue,
        };
        prop_assert_eq!(got, expected, "step {}: {:?}", step, op);
        check(s, &model, &people, &accounts).await?;
    }
    Ok(())
}

/// Each user's visible accounts and roles, their writes, and one owner per account.
async fn check(
    s: &impl Store,
    model: &Model,
    people: &[User],
    accounts: &[Account],
) -> Result<(), TestCaseError> {
    for (u, person) in people.iter().enumerate().filter(|(u, _)| !model.gone[*u]) {
        let mut seen: Vec<(AccountId, Role)> = s
            .list_accounts(person.id)
            .await
            .expect("list")
            .iter()
            .map(|a| (a.id, a.role))
            .collect();
        seen.sort_by_key(|(id, _)| *id);
        let mut expected: Vec<(AccountId, Role)> = (0..PEOPLE)
            .filter_map(|a| model.role(a, u).map(|r| (accounts[a].id, r)))
            .collect();
        expected.sort_by_key(|(id, _)| *id);
        prop_assert_eq!(&seen, &expected, "what {} sees", u);
        for (a, account) in accounts
            .iter()
            .enumerate()
            .filter(|(a, _)| model.members[*a].is_some())
        {
            let mut m = movement(account, -1, date!(2026 - 11 - 01));
            m.created_by = author(person.id);
            let wrote = outcome(&s.add_movement(person.id, &m, None).await);
            let allowed = match model.role(a, u) {
                None => Outcome::NotFound,
                Some(Role::Viewer) => Outcome::Forbidden,
                Some(_) => Outcome::Ok,
            };
            prop_assert_eq!(wrote, allowed, "{} writing to {}", u, a);
        }
    }
    for (a, account) in accounts.iter().enumerate() {
        let Some(owner) = model.owner(a) else {
            continue;
        };
        let members = s
            .members(people[owner].id, account.id, NOW)
            .await
            .expect("members");
        let owners: Vec<UserId> = members
            .iter()
            .filter(|m| m.role == Role::Owner)
            .map(|m| m.user_id.expect("active"))
            .collect();
        prop_assert_eq!(owners, vec![people[owner].id], "one owner of {}", a);
        let stored = s
            .get_account(people[owner].id, account.id)
            .await
            .expect("read")
            .expect("there");
        prop_assert_eq!(stored.owner_id, people[owner].id);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..Default::default() })]

    #[test]
    fn memberships_follow_the_model(ops in proptest::collection::vec(op(), 1..16)) {
        support::on_both_stores!(|s| { run(&s, &ops).await });
    }
}
