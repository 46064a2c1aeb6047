use async_trait::async_trait;
use reqwest::Method;

use finance_core::domain::{
    Applied, ApplyInput, Rule, RuleId, RuleInput, RuleList, RulePatch, RulePreview, TagList,
};
use finance_core::error::Error;
use finance_core::ports::Cause;

use super::RemoteFinance;
use crate::Categorising;

fn body(value: &impl serde::Serialize) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::Internal(Cause::of(e)))
}

#[async_trait]
impl Categorising for RemoteFinance {
    async fn tags(&self) -> Result<TagList, Error> {
        self.send(Method::GET, "/v1/tags", None, None).await
    }

    async fn rules(&self) -> Result<RuleList, Error> {
        self.send(Method::GET, "/v1/rules", None, None).await
    }

    async fn add_rule(&self, input: &RuleInput) -> Result<Rule, Error> {
        self.send(Method::POST, "/v1/rules", Some(&body(input)?), None)
            .await
    }

    async fn edit_rule(&self, id: RuleId, patch: &RulePatch) -> Result<Rule, Error> {
        let path = format!("/v1/rules/{id}");
        self.send(Method::PATCH, &path, Some(&body(patch)?), None)
            .await
    }

    async fn delete_rule(&self, id: RuleId) -> Result<(), Error> {
        self.send(Method::DELETE, &format!("/v1/rules/{id}"), None, None)
            .await
    }

    async fn preview_rule(&self, id: RuleId, overwrite: bool) -> Result<RulePreview, Error> {
        let path = format!("/v1/rules/{id}/preview?overwrite={overwrite}");
        self.send(Method::POST, &path, None, None).await
    }

    async fn apply_rule(&self, id: RuleId, overwrite: bool) -> Result<Applied, Error> {
        let path = format!("/v1/rules/{id}/apply");
        let input = ApplyInput { overwrite };
        self.send(Method::POST, &path, Some(&body(&input)?), None)
            .await
    }
}
