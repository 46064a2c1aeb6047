//! Each user's rules, compiled, kept for a moment: every movement a user records is tried
//! against their rules, and reading and compiling them for each one would cost a query per
//! write. A change through this app forgets the user's book at once; another server's
//! copy is read again within [`FRESH`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;

use super::{App, Error};
use crate::domain::{RuleBook, UserId};

/// Users whose books are kept at most.
const CAPACITY: usize = 10_000;
/// How long a book is used before it is read again (a rule changed on another server
/// applies here after at most this long).
const FRESH: Duration = Duration::from_secs(1);

pub(crate) struct RuleBooks(Cache<UserId, (Instant, Arc<RuleBook>)>);

impl Default for RuleBooks {
    fn default() -> Self {
        Self(Cache::new(CAPACITY))
    }
}

impl App {
    /// The user's rules, in order, compiled.
    pub(crate) async fn rule_book(&self, user: UserId) -> Result<Arc<RuleBook>, Error> {
        if let Some((read, book)) = self.rule_books.0.get(&user)
            && read.elapsed() < FRESH
        {
            return Ok(book);
        }
        let book = Arc::new(RuleBook::new(self.rules.rules(user).await?));
        self.rule_books
            .0
            .insert(user, (Instant::now(), book.clone()));
        Ok(book)
    }

    /// Forgets the user's book after a change to their rules.
    pub(crate) fn forget_rules(&self, user: UserId) {
        self.rule_books.0.remove(&user);
    }
}
