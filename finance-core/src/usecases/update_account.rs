use super::{App, Error};
use crate::domain::{Account, AccountId, AccountPatch, UserId};

impl App {
    /// Renames, archives or unarchives one of the owner's accounts. A name the owner
    /// already uses is a conflict; an empty change answers the account as it is.
    pub async fn update_account(
        &self,
        owner: UserId,
        id: AccountId,
        patch: &AccountPatch,
    ) -> Result<Account, Error> {
        let account = self
            .account_for(owner, id, crate::domain::Action::Manage)
            .await?;
        let changed = patch.apply(&account)?;
        if changed != account {
            self.accounts
                .update_account(owner, &account, &changed, self.clock.now())
                .await?;
        }
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::*;
    use crate::ports::StoreError;
    use crate::usecases::{Error, testing::Mocks};

    #[tokio::test]
    async fn renames_and_archives_checking_the_name() {
        let owner = UserId::random();
        let account = crate::usecases::testing::account(owner, "Bank", "EUR", 0);
        let id = account.id;
        let mut m = Mocks::new();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        m.accounts
            .expect_update_account()
            .withf(|_, _, a, _| a.name == "Savings" && a.archived)
            .times(1)
            .returning(|_, _, _, _| Ok(()));
        let app = m.app();
        let patch = AccountPatch {
            name: Some("  Savings ".into()),
            archived: Some(true),
        };
        let changed = app
            .update_account(owner, id, &patch)
            .await
            .expect("changed");
        assert_eq!((changed.name.as_str(), changed.archived), ("Savings", true));
        assert_eq!(changed.currency.code(), "EUR");

        let bad = AccountPatch {
            name: Some("".into()),
            archived: None,
        };
        let err = app.update_account(owner, id, &bad).await;
        assert!(matches!(err, Err(Error::Invalid(v)) if v.errors[0].field == "name"));
    }

    #[tokio::test]
    async fn a_taken_name_and_movements_are_conflicts() {
        let owner = UserId::random();
        let account = crate::usecases::testing::account(owner, "Bank", "EUR", 0);
        let id = account.id;
        let mut m = Mocks::new();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        m.accounts
            .expect_update_account()
            .returning(|_, _, _, _| Err(StoreError::Refused(Refusal::NameTaken)));
        m.accounts
            .expect_delete_account()
            .returning(|_, _, _| Err(StoreError::Refused(Refusal::HasMovements)));
        let app = m.app();
        let patch = AccountPatch {
            name: Some("Cash".into()),
            archived: None,
        };
        assert!(matches!(
            app.update_account(owner, id, &patch).await,
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            app.delete_account(owner, id).await,
            Err(Error::Conflict(Refusal::HasMovements))
        ));
    }
}
