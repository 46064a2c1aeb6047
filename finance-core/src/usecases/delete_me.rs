use super::{App, Error};
use crate::domain::{Refusal, UserId};

impl App {
    /// Deletes the user for good: what they own (accounts with their movements, transfers,
    /// schedules, rates, budgets) goes, every token of theirs is refused from now on (on
    /// every server, as signing out everywhere is), and mail kept for them is removed.
    ///
    /// The tokens are cut off first: should the deletion then fail, the user is signed out
    /// with their data intact and may sign in and try again; the other order could leave
    /// working tokens of a user who is gone.
    ///
    /// Refused while an account they own has other members: they hand it over or remove
    /// them first (the store checks again as it deletes).
    pub async fn delete_me(&self, user: UserId) -> Result<(), Error> {
        let me = self.users.get_user(user).await?.ok_or(Error::NotFound)?;
        if self.members.owns_shared(user).await? {
            return Err(Error::Conflict(Refusal::AccountShared));
        }
        let now = self.clock.now();
        self.revocations.revoke_all(user, now).await?;
        self.users.delete_user(user, now).await?;
        // The account is gone whatever happens to the copies; a leftover is purged with
        // the outbox's old mail.
        if let Err(e) = self.mailer.forget(&me.email).await {
            tracing::warn!(error = %e, "kept mail of a deleted user stays until purged");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use mockall::Sequence;

    use crate::domain::*;
    use crate::ports::StoreError;
    use crate::usecases::{Error, testing::Mocks};

    fn user(id: UserId) -> User {
        User {
            id,
            email: Email::parse("gone@example.com").expect("email"),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            base_currency: None,
        }
    }

    #[tokio::test]
    async fn cuts_the_tokens_off_then_deletes_then_forgets_the_mail() {
        let id = UserId::random();
        let mut m = Mocks::new();
        let now = m.now;
        let mut order = Sequence::new();
        m.users
            .expect_get_user()
            .returning(move |_| Ok(Some(user(id))));
        m.members.expect_owns_shared().returning(|_| Ok(false));
        m.revocations
            .expect_revoke_all()
            .withf(move |u, at| *u == id && *at == now)
            .times(1)
            .in_sequence(&mut order)
            .returning(|_, _| Ok(()));
        m.users
            .expect_delete_user()
            .withf(move |u, at| *u == id && *at == now)
            .times(1)
            .in_sequence(&mut order)
            .returning(|_, _| Ok(()));
        m.mailer
            .expect_forget()
            .withf(|e| e.as_str() == "gone@example.com")
            .times(1)
            .in_sequence(&mut order)
            .returning(|_| Ok(2));
        m.app().delete_me(id).await.expect("deleted");
    }

    #[tokio::test]
    async fn a_failed_delete_leaves_the_mail_and_says_so() {
        let id = UserId::random();
        let mut m = Mocks::new();
        m.users
            .expect_get_user()
            .returning(move |_| Ok(Some(user(id))));
        m.members.expect_owns_shared().returning(|_| Ok(false));
        m.revocations.expect_revoke_all().returning(|_, _| Ok(()));
        m.users
            .expect_delete_user()
            .returning(|_, _| Err(StoreError::Unavailable("down".into())));
        m.mailer.expect_forget().never();
        assert!(matches!(
            m.app().delete_me(id).await,
            Err(Error::Unavailable(_))
        ));
    }

    #[tokio::test]
    async fn an_owner_of_a_shared_account_is_refused_and_stays_signed_in() {
        let id = UserId::random();
        let mut m = Mocks::new();
        m.users
            .expect_get_user()
            .returning(move |_| Ok(Some(user(id))));
        m.members.expect_owns_shared().returning(|_| Ok(true));
        m.revocations.expect_revoke_all().never();
        m.users.expect_delete_user().never();
        assert!(matches!(
            m.app().delete_me(id).await,
            Err(Error::Conflict(Refusal::AccountShared))
        ));
    }

    #[tokio::test]
    async fn an_unknown_user_is_not_found_and_nothing_is_touched() {
        let mut m = Mocks::new();
        m.users.expect_get_user().returning(|_| Ok(None));
        m.revocations.expect_revoke_all().never();
        m.users.expect_delete_user().never();
        assert!(matches!(
            m.app().delete_me(UserId::random()).await,
            Err(Error::NotFound)
        ));
    }
}
