//! What a write needs to know of an account before it reaches the store: its currency,
//! which never changes once it exists. Remembering it per user who may write there spares
//! each movement a read of its account; the store still checks membership and role in the
//! write itself, so an entry for an account gone since, or a role lost since, answers
//! `NotFound` or `Forbidden` there, as a read would have here.

use quick_cache::sync::Cache;

use crate::domain::{Account, AccountId, Action, Currency, UserId};

/// Entries remembered at most (about 60 bytes each).
const CAPACITY: usize = 10_000;

/// Currencies of accounts users wrote to lately, shared by every clone of the app.
pub(crate) struct KnownAccounts(Cache<(UserId, AccountId), Currency>);

impl Default for KnownAccounts {
    fn default() -> Self {
        Self(Cache::new(CAPACITY))
    }
}

impl KnownAccounts {
    /// Remembers the account for `user`, if their role lets them write to it.
    pub(crate) fn remember(&self, user: UserId, account: &Account) {
        if account.role.may(Action::Write) {
            self.0.insert((user, account.id), account.currency);
        }
    }

    /// The account's currency, if `user` was seen allowed to write to it.
    pub(crate) fn currency(&self, user: UserId, id: AccountId) -> Option<Currency> {
        self.0.get(&(user, id))
    }
}
