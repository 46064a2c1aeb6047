use super::{App, Error};
use crate::domain::{Rule, RuleId, RuleList, UserId};

impl App {
    /// The user's rules in the order they are tried, each with how many movements record
    /// it as the rule that changed them.
    pub async fn list_rules(&self, user: UserId) -> Result<RuleList, Error> {
        Ok(RuleList {
            items: self.rules.rules(user).await?,
        })
    }

    /// One of the user's rules.
    pub async fn get_rule(&self, user: UserId, id: RuleId) -> Result<Rule, Error> {
        self.rules.get_rule(user, id).await?.ok_or(Error::NotFound)
    }
}
