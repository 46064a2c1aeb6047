use async_trait::async_trait;

use finance_core::domain::{
    Applied, Rule, RuleId, RuleInput, RuleList, RulePatch, RulePreview, TagList,
};
use finance_core::error::Error;

/// Tags and rules: what categorises movements without typing. Part of every
/// [`crate::Finance`] (its supertrait), kept apart for its size.
#[async_trait]
pub trait Categorising: Send + Sync {
    /// Every tag in use, with how many movements carry it.
    async fn tags(&self) -> Result<TagList, Error>;

    /// The user's rules, in the order they are tried.
    async fn rules(&self) -> Result<RuleList, Error>;

    async fn add_rule(&self, input: &RuleInput) -> Result<Rule, Error>;

    async fn edit_rule(&self, id: RuleId, patch: &RulePatch) -> Result<Rule, Error>;

    async fn delete_rule(&self, id: RuleId) -> Result<(), Error>;

    /// What the rule would change among existing movements (the first 200), changing
    /// nothing.
    async fn preview_rule(&self, id: RuleId, overwrite: bool) -> Result<RulePreview, Error>;

    /// Changes every existing movement the rule would change, in one go.
    async fn apply_rule(&self, id: RuleId, overwrite: bool) -> Result<Applied, Error>;
}
