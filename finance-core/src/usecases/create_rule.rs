use super::{App, Error};
use crate::domain::{Action, Rule, RuleId, RuleInput, UserId, ValidationError, check_rule};

impl App {
    /// Stores a rule of the user's at `position` (from 1; absent or past the end: last).
    /// An `account` condition must name an account the user can see.
    ///
    /// With an idempotency key, a retry of the same request answers the first rule (`true`
    /// second) and writes nothing; the key with another request is a conflict.
    pub async fn create_rule(
        &self,
        user: UserId,
        input: &RuleInput,
        idempotency_key: Option<&str>,
    ) -> Result<(Rule, bool), Error> {
        let (name, when, then) = check_rule(&input.name, &input.when, &input.then)?;
        let position = checked_position(input.position)?;
        let key = idempotency_key
            .map(|k| super::add_movement::fingerprinted(k, "rule", input))
            .transpose()?;
        self.known_rule_account(user, when.account.as_deref())
            .await?;
        let now = self.clock.now();
        let rule = Rule {
            id: RuleId::random(),
            owner_id: user,
            name,
            position: position.unwrap_or(u32::MAX),
            when,
            then,
            applied: 0,
            created_at: now,
            updated_at: now,
        };
        let stored = self.rules.create_rule(&rule, key).await?;
        self.forget_rules(user);
        Ok(stored)
    }

    /// A rule's `account` condition names an account the user can see (else 422: a rule
    /// about an account one cannot see would never match, or leak that it exists).
    pub(crate) async fn known_rule_account(
        &self,
        user: UserId,
        account: Option<&str>,
    ) -> Result<(), Error> {
        let Some(id) = account else {
            return Ok(());
        };
        let id = crate::domain::AccountId::parse("when.account", id)?;
        match self.account_for(user, id, Action::Read).await {
            Ok(_) => Ok(()),
            Err(Error::NotFound) => Err(ValidationError::new(
                "when.account",
                "is not an account of yours or shared with you",
            )
            .into()),
            Err(e) => Err(e),
        }
    }
}

/// A position as sent: from 1.
pub(super) fn checked_position(position: Option<u32>) -> Result<Option<u32>, Error> {
    match position {
        Some(0) => Err(ValidationError::new("position", "counts from 1").into()),
        other => Ok(other),
    }
}
