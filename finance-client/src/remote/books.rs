use async_trait::async_trait;
use reqwest::Method;

use finance_core::domain::{
    Account, BalanceQueryInput, ChangePage, ChangesQueryInput, DayBalance, HistoryPage,
    HistoryQueryInput, Reconciliation, ReconciliationId, ReconciliationInput, ReconciliationList,
};
use finance_core::domain::{
    CreatedWebhook, DeliveryList, ExportQueryInput, JournalImported, WebhookId, WebhookInput,
    WebhookList,
};
use finance_core::error::Error;
use finance_core::ports::Cause;

use super::RemoteFinance;
use crate::Books;

#[async_trait]
impl Books for RemoteFinance {
    async fn reconcile(
        &self,
        account: &Account,
        input: &ReconciliationInput,
    ) -> Result<Reconciliation, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/accounts/{}/reconciliations", account.id);
        let mut r: Reconciliation = self.send(Method::POST, &path, Some(&body), None).await?;
        r.account_id = account.id;
        Ok(r)
    }

    async fn reconciliations(&self, account: &Account) -> Result<ReconciliationList, Error> {
        let path = format!("/v1/accounts/{}/reconciliations", account.id);
        let mut list: ReconciliationList = self.send(Method::GET, &path, None, None).await?;
        for r in &mut list.items {
            r.account_id = account.id;
        }
        Ok(list)
    }

    async fn delete_reconciliation(
        &self,
        account: &Account,
        id: ReconciliationId,
    ) -> Result<(), Error> {
        let path = format!("/v1/accounts/{}/reconciliations/{id}", account.id);
        self.send(Method::DELETE, &path, None, None).await
    }

    async fn balance_on(&self, account: &Account, on: Option<&str>) -> Result<DayBalance, Error> {
        let path = format!("/v1/accounts/{}/balance", account.id);
        let query = BalanceQueryInput {
            on: on.map(str::to_string),
        };
        self.get_query(&path, &query).await
    }

    async fn history(
        &self,
        account: &Account,
        query: &HistoryQueryInput,
    ) -> Result<HistoryPage, Error> {
        let path = format!("/v1/accounts/{}/history", account.id);
        self.get_query(&path, query).await
    }

    async fn changes(&self, query: &ChangesQueryInput) -> Result<ChangePage, Error> {
        self.get_query("/v1/changes", query).await
    }

    async fn create_webhook(&self, input: &WebhookInput) -> Result<CreatedWebhook, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        self.send(Method::POST, "/v1/webhooks", Some(&body), None)
            .await
    }

    async fn webhooks(&self) -> Result<WebhookList, Error> {
        self.send(Method::GET, "/v1/webhooks", None, None).await
    }

    async fn delete_webhook(&self, id: WebhookId) -> Result<(), Error> {
        self.send(Method::DELETE, &format!("/v1/webhooks/{id}"), None, None)
            .await
    }

    async fn webhook_deliveries(&self, id: WebhookId) -> Result<DeliveryList, Error> {
        let path = format!("/v1/webhooks/{id}/deliveries");
        self.send(Method::GET, &path, None, None).await
    }

    async fn export_journal(
        &self,
        query: &ExportQueryInput,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<(), Error> {
        let qs = super::http::query_string(query)?;
        let unreachable = |e: reqwest::Error| {
            Error::Unavailable(Cause::from(format!(
                "reading the journal from {}: {}",
                self.base,
                super::http::root_cause(&e)
            )))
        };
        // A large export takes longer than the client's usual 30 s.
        let mut res = self
            .http
            .get(format!("{}/v1/export?{qs}", self.base))
            .bearer_auth(&self.token)
            .timeout(std::time::Duration::from_secs(3600))
            .send()
            .await
            .map_err(unreachable)?;
        if !res.status().is_success() {
            let (status, headers) = (res.status(), res.headers().clone());
            let bytes = res.bytes().await.map_err(unreachable)?;
            return Err(super::http::problem(&self.base, status, &headers, &bytes));
        }
        while let Some(chunk) = res.chunk().await.map_err(unreachable)? {
            out.write_all(&chunk)
                .map_err(|e| Error::Internal(Cause::context("writing the journal", e)))?;
        }
        Ok(())
    }

    /// One request: the server imports all of it or nothing.
    async fn import_journal(&self, text: &str) -> Result<JournalImported, Error> {
        let req = self
            .http
            .post(format!("{}/v1/imports/journal", self.base))
            .bearer_auth(&self.token)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(text.to_string());
        super::http::call(&self.base, req).await.map(|(v, _)| v)
    }
}
