use async_trait::async_trait;

use finance_core::domain::{
    Applied, ApplyInput, Rule, RuleId, RuleInput, RuleList, RulePatch, RulePreview, TagList,
};
use finance_core::error::Error;

use crate::{Categorising, LocalFinance};

#[async_trait]
impl Categorising for LocalFinance {
    async fn tags(&self) -> Result<TagList, Error> {
        self.app().list_tags(self.user().id).await
    }

    async fn rules(&self) -> Result<RuleList, Error> {
        self.app().list_rules(self.user().id).await
    }

    async fn add_rule(&self, input: &RuleInput) -> Result<Rule, Error> {
        self.app()
            .create_rule(self.user().id, input, None)
            .await
            .map(|(rule, _)| rule)
    }

    async fn edit_rule(&self, id: RuleId, patch: &RulePatch) -> Result<Rule, Error> {
        self.app().edit_rule(self.user().id, id, patch).await
    }

    async fn delete_rule(&self, id: RuleId) -> Result<(), Error> {
        self.app().delete_rule(self.user().id, id).await
    }

    async fn preview_rule(&self, id: RuleId, overwrite: bool) -> Result<RulePreview, Error> {
        self.app().preview_rule(self.user().id, id, overwrite).await
    }

    async fn apply_rule(&self, id: RuleId, overwrite: bool) -> Result<Applied, Error> {
        self.app()
            .apply_rule(self.user().id, id, &ApplyInput { overwrite }, None)
            .await
            .map(|(applied, _)| applied)
    }
}
