use async_trait::async_trait;

use finance_core::domain::{
    Account, ChangePage, ChangesQueryInput, DayBalance, HistoryPage, HistoryQueryInput,
    Reconciliation, ReconciliationId, ReconciliationInput, ReconciliationList,
};
use finance_core::domain::{
    CreatedWebhook, DeliveryList, ExportQueryInput, JournalImported, WebhookId, WebhookInput,
    WebhookList,
};
use finance_core::error::Error;
use finance_core::ports::Cause;

use crate::{Books, LocalFinance};

#[async_trait]
impl Books for LocalFinance {
    async fn reconcile(
        &self,
        account: &Account,
        input: &ReconciliationInput,
    ) -> Result<Reconciliation, Error> {
        self.app()
            .reconcile(self.user().id, account.id, input, None)
            .await
            .map(|(r, _)| r)
    }

    async fn reconciliations(&self, account: &Account) -> Result<ReconciliationList, Error> {
        self.app()
            .list_reconciliations(self.user().id, account.id)
            .await
    }

    async fn delete_reconciliation(
        &self,
        account: &Account,
        id: ReconciliationId,
    ) -> Result<(), Error> {
        self.app()
            .delete_reconciliation(self.user().id, account.id, id)
            .await
    }

    async fn balance_on(&self, account: &Account, on: Option<&str>) -> Result<DayBalance, Error> {
        self.app().balance_on(self.user().id, account.id, on).await
    }

    async fn history(
        &self,
        account: &Account,
        query: &HistoryQueryInput,
    ) -> Result<HistoryPage, Error> {
        self.app()
            .account_history(self.user().id, account.id, query)
            .await
    }

    async fn changes(&self, query: &ChangesQueryInput) -> Result<ChangePage, Error> {
        self.app().list_changes(self.user().id, query).await
    }

    async fn create_webhook(&self, input: &WebhookInput) -> Result<CreatedWebhook, Error> {
        self.app().create_webhook(self.user().id, input).await
    }

    async fn webhooks(&self) -> Result<WebhookList, Error> {
        self.app().list_webhooks(self.user().id).await
    }

    async fn delete_webhook(&self, id: WebhookId) -> Result<(), Error> {
        self.app().delete_webhook(self.user().id, id).await
    }

    async fn webhook_deliveries(&self, id: WebhookId) -> Result<DeliveryList, Error> {
        self.app().list_deliveries(self.user().id, id).await
    }

    async fn export_journal(
        &self,
        query: &ExportQueryInput,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<(), Error> {
        let journal = self.app().journal(self.user().id, query).await?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(4);
        let writing = tokio::spawn(journal.write(tx));
        while let Some(chunk) = rx.recv().await {
            out.write_all(chunk.as_bytes())
                .map_err(|e| Error::Internal(Cause::context("writing the journal", e)))?;
        }
        writing
            .await
            .map_err(|e| Error::Internal(Cause::context("the export's task failed", e)))?
    }

    async fn import_journal(&self, text: &str) -> Result<JournalImported, Error> {
        let user = self.user().id;
        self.app()
            .import_journal(user, None, text.to_string())
            .await
    }
}
