use super::{App, Error};
use crate::domain::{AccountId, Movement, MovementId, MovementPatch, Refusal, UserId};

impl App {
    /// Changes a movement and moves its account's balance by the difference, in one
    /// transaction. With `if_match` (an ETag of the movement), a movement in any other
    /// state is `PreconditionFailed` and nothing is written; so is one changed by someone
    /// else while this change was being made.
    pub async fn edit_movement(
        &self,
        owner: UserId,
        account: AccountId,
        id: MovementId,
        patch: &MovementPatch,
        if_match: Option<&str>,
    ) -> Result<Movement, Error> {
        let before = self.changeable(owner, account, id, if_match).await?;
        let by = self.author(owner).await?;
        let after = patch.apply(&before, self.clock.now(), &by)?;
        self.movements
            .update_movement(owner, &before, &after)
            .await?;
        Ok(after)
    }

    /// Deletes a movement and takes its amount back from the balance, with the same
    /// checks as [`App::edit_movement`].
    pub async fn delete_movement(
        &self,
        owner: UserId,
        account: AccountId,
        id: MovementId,
        if_match: Option<&str>,
    ) -> Result<(), Error> {
        let before = self.changeable(owner, account, id, if_match).await?;
        self.movements
            .delete_movement(owner, &before, self.clock.now())
            .await?;
        Ok(())
    }

    /// The movement as it is now, if this request may change it.
    async fn changeable(
        &self,
        owner: UserId,
        account: AccountId,
        id: MovementId,
        if_match: Option<&str>,
    ) -> Result<Movement, Error> {
        self.account_for(owner, account, crate::domain::Action::Write)
            .await?;
        let movement = self.get_movement(owner, account, id).await?;
        if movement.transfer_id.is_some() {
            return Err(Error::Conflict(Refusal::TransferLeg));
        }
        if let Some(tag) = if_match
            && !matches_etag(tag, &movement.etag())
        {
            return Err(Error::PreconditionFailed);
        }
        Ok(movement)
    }
}

/// `If-Match` holds one tag, a list of them, or `*` (any current state).
fn matches_etag(header: &str, current: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t == current || t.strip_prefix("W/") == Some(current))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, TransferId, UserRef};
    use crate::ports::StoreError;
    use crate::usecases::testing::{Mocks, account};

    fn stored(m: &Mocks, owner: UserId) -> Movement {
        let a = account(owner, "Bank", "EUR", 0);
        Movement {
            reconciled: false,
            id: MovementId::random(),
            account_id: a.id,
            amount: Money::from_minor(-1_250, a.currency),
            description: "Lunch".into(),
            category: Some("food".into()),
            occurred_on: m.now.date(),
            transfer_id: None,
            schedule_id: None,
            created_at: m.now,
            updated_at: m.now,
            created_by: UserRef::sample(),
            updated_by: UserRef::sample(),
            splits: None,
            tags: Vec::new(),
            rule_id: None,
        }
    }

    #[tokio::test]
    async fn edits_with_the_current_etag_and_refuses_a_stale_one() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        m.known_authors();
        let before = stored(&m, owner);
        let tag = before.etag();
        let found = before.clone();
        m.accounts
            .expect_get_account()
            .returning(move |o, _| Ok(Some(account(o, "Bank", "EUR", 0))));
        m.movements
            .expect_get_movement()
            .returning(move |_, _, _| Ok(Some(found.clone())));
        m.movements
            .expect_update_movement()
            .withf(|_, b, a| a.amount.minor() == -2_000 && a.category.is_none() && b.id == a.id)
            .times(1)
            .returning(|_, _, a| Ok(a.amount));
        let app = m.app();
        let patch: MovementPatch =
            serde_json::from_str(r#"{"amount":"-20","category":null}"#).expect("patch");
        let (acc, id) = (before.account_id, before.id);
        let after = app
            .edit_movement(owner, acc, id, &patch, Some(&tag))
            .await
            .expect("edited");
        assert_eq!(after.description, "Lunch", "untouched fields stay");
        assert_ne!(after.etag(), tag);
        let stale = app
            .edit_movement(owner, acc, id, &patch, Some("\"other\""))
            .await;
        assert!(matches!(stale, Err(Error::PreconditionFailed)));
        let bad: MovementPatch = serde_json::from_str(r#"{"amount":"1.001"}"#).expect("patch");
        let invalid = app.edit_movement(owner, acc, id, &bad, None).await;
        assert!(matches!(invalid, Err(Error::Invalid(v)) if v.errors[0].field == "amount"));
    }

    #[tokio::test]
    async fn transfer_legs_and_concurrent_changes_are_refused() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        m.known_authors();
        let mut leg = stored(&m, owner);
        leg.transfer_id = Some(TransferId::random());
        let plain = stored(&m, owner);
        let (leg_id, plain_id, acc) = (leg.id, plain.id, plain.account_id);
        m.accounts
            .expect_get_account()
            .returning(move |o, _| Ok(Some(account(o, "Bank", "EUR", 0))));
        m.movements
            .expect_get_movement()
            .returning(move |_, _, id| {
                Ok(Some(if id == leg_id {
                    leg.clone()
                } else {
                    plain.clone()
                }))
            });
        m.movements
            .expect_delete_movement()
            .returning(|_, _, _| Err(StoreError::Stale));
        let app = m.app();
        let refused = app.delete_movement(owner, acc, leg_id, None).await;
        assert!(matches!(
            refused,
            Err(Error::Conflict(Refusal::TransferLeg))
        ));
        let raced = app.delete_movement(owner, acc, plain_id, Some("*")).await;
        assert!(matches!(raced, Err(Error::PreconditionFailed)));
    }

    #[tokio::test]
    async fn a_viewer_changes_nothing() {
        let owner = UserId::random();
        let mut m = Mocks::new();
        let mut shared = account(owner, "Joint", "EUR", 0);
        shared.role = crate::domain::Role::Viewer;
        let acc = shared.id;
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(shared)));
        m.movements.expect_get_movement().never();
        m.movements.expect_delete_movement().never();
        let refused = m
            .app()
            .delete_movement(UserId::random(), acc, MovementId::random(), None)
            .await;
        assert!(matches!(refused, Err(Error::Forbidden)));
    }

    #[test]
    fn if_match_takes_lists_weak_tags_and_star() {
        assert!(matches_etag("\"a\", \"b\"", "\"b\""));
        assert!(matches_etag("W/\"b\"", "\"b\""));
        assert!(matches_etag("*", "\"b\""));
        assert!(!matches_etag("\"a\"", "\"b\""));
    }
}
