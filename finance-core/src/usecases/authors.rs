//! Who a write is by: the user's id and email, stamped on what they record. An email never
//! changes for a user id (a new email is a new user), so it is remembered once read.

use quick_cache::sync::Cache;

use super::{App, Error};
use crate::domain::{Account, Email, User, UserId, UserRef};

/// Users remembered at most.
const CAPACITY: usize = 10_000;

/// Emails of users seen lately, shared by every clone of the app.
pub(crate) struct KnownAuthors(Cache<UserId, Email>);

impl Default for KnownAuthors {
    fn default() -> Self {
        Self(Cache::new(CAPACITY))
    }
}

impl App {
    /// `user` as the author of a write; `NotFound` for a user who is gone.
    pub(crate) async fn author(&self, user: UserId) -> Result<UserRef, Error> {
        if let Some(email) = self.authors.0.get(&user) {
            return Ok(UserRef {
                id: user,
                email: Some(email),
            });
        }
        let found = self.users.get_user(user).await?.ok_or(Error::NotFound)?;
        self.authors.0.insert(user, found.email.clone());
        Ok(UserRef::from(&found))
    }

    /// Remembers a user read whole (their email is theirs for good).
    pub(crate) fn remember_author(&self, user: &User) {
        self.authors.0.insert(user.id, user.email.clone());
    }

    /// Fills in each account's owner email, which the store does not read: remembered per
    /// user, it costs an account read no second lookup (one the first time per owner).
    pub(crate) async fn with_owners(&self, accounts: &mut [Account]) -> Result<(), Error> {
        for a in accounts.iter_mut().filter(|a| a.owner_email.is_none()) {
            a.owner_email = match self.author(a.owner_id).await {
                Ok(owner) => owner.email,
                Err(Error::NotFound) => None,
                Err(e) => return Err(e),
            };
        }
        Ok(())
    }
}
