use async_trait::async_trait;

use super::IdempotencyKey;
use super::error::StoreError;
use crate::domain::{Movement, Rule, RuleId, UserId};

/// A user's rules, kept in position order (1, 2, 3… without gaps): each write that moves
/// one renumbers the others in the same transaction.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait RuleRepository: Send + Sync {
    /// Stores a new rule at `rule.position` (past the end: last), moving those from there
    /// on down one, and answers it as stored. With `idempotency`, a retry of the same
    /// request answers the first rule (`true` second) and writes nothing; the key with
    /// another request is `Refused(IdempotencyKeyReused)`.
    async fn create_rule(
        &self,
        rule: &Rule,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(Rule, bool), StoreError>;

    /// The owner's rules in position order, each with how many movements record it.
    async fn rules(&self, owner: UserId) -> Result<Vec<Rule>, StoreError>;

    /// One of the owner's rules.
    async fn get_rule(&self, owner: UserId, id: RuleId) -> Result<Option<Rule>, StoreError>;

    /// Replaces a rule (`NotFound` if it is not the owner's), moving it to `rule.position`
    /// (past the end: last) and the others to make room; answers it as stored.
    async fn update_rule(&self, rule: &Rule) -> Result<Rule, StoreError>;

    /// Deletes a rule and closes the gap it leaves (`NotFound` if it is not the owner's).
    /// Movements keep its id in `rule_id`.
    async fn delete_rule(&self, owner: UserId, id: RuleId) -> Result<(), StoreError>;

    /// Writes what an apply of `rule` changed, `(before, after)` each, in one transaction:
    /// descriptions, categories, tags and `rule_id` (never an amount, so no balance
    /// moves). `Stale` if any movement changed since it was read (nothing is written);
    /// `Forbidden` if the user may no longer write to one of the accounts. With
    /// `idempotency`, a retry of the same request answers the first count (`true`
    /// second) and writes nothing.
    async fn apply_rule(
        &self,
        user: UserId,
        rule: RuleId,
        changes: &[(Movement, Movement)],
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(u64, bool), StoreError>;
}
