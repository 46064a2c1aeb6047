use super::{App, Error};
use crate::domain::{Rule, RuleId, RulePatch, UserId, check_rule};

impl App {
    /// Changes one of the user's rules: what the patch names replaces what was (`when` and
    /// `then` whole); a new `position` moves it and renumbers the others.
    pub async fn edit_rule(
        &self,
        user: UserId,
        id: RuleId,
        patch: &RulePatch,
    ) -> Result<Rule, Error> {
        let position = super::create_rule::checked_position(patch.position)?;
        let before = self.get_rule(user, id).await?;
        let (name, when, then) = check_rule(
            patch.name.as_deref().unwrap_or(&before.name),
            patch.when.as_ref().unwrap_or(&before.when),
            patch.then.as_ref().unwrap_or(&before.then),
        )?;
        if patch.when.is_some() {
            self.known_rule_account(user, when.account.as_deref())
                .await?;
        }
        let rule = Rule {
            name,
            when,
            then,
            position: position.unwrap_or(before.position),
            updated_at: self.clock.now(),
            ..before
        };
        let stored = self.rules.update_rule(&rule).await?;
        self.forget_rules(user);
        Ok(stored)
    }

    /// Deletes one of the user's rules; movements keep its id as the rule that changed them.
    pub async fn delete_rule(&self, user: UserId, id: RuleId) -> Result<(), Error> {
        self.rules.delete_rule(user, id).await?;
        self.forget_rules(user);
        Ok(())
    }
}
