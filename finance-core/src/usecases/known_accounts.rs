//! What a write needs to know of an account before it reaches the store: its owner and
//! currency, which never change once it exists. Remembering them spares each movement a
//! read of its account; the store still checks ownership in the write itself, so an entry
//! for an account gone since answers `NotFound` there, as a read would have here.

use quick_cache::sync::Cache;

use crate::domain::{Account, AccountId, Currency, UserId};

/// Accounts remembered at most (about 60 bytes each).
const CAPACITY: usize = 10_000;

/// Owner and currency of accounts seen lately, shared by every clone of the app.
pub(crate) struct KnownAccounts(Cache<AccountId, (UserId, Currency)>);

impl Default for KnownAccounts {
    fn default() -> Self {
        Self(Cache::new(CAPACITY))
    }
}

impl KnownAccounts {
    pub(crate) fn remember(&self, account: &Account) {
        self.0
            .insert(account.id, (account.owner_id, account.currency));
    }

    /// The account's currency, if it is known to be `owner`'s.
    pub(crate) fn currency(&self, owner: UserId, id: AccountId) -> Option<Currency> {
        self.0
            .get(&id)
            .and_then(|(o, currency)| (o == owner).then_some(currency))
    }
}
