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

/// Reconciling an account with the bank, its balance on any day, its history, and the
/// change feed of everything the user sees. Part of
/// every [`crate::Finance`] (its supertrait), kept apart for its size.
#[async_trait]
pub trait Books: Send + Sync {
    /// Reconciles the account with a statement's closing balance; a mismatch is
    /// `Error::Unreconciled` with the difference (statement less ledger).
    async fn reconcile(
        &self,
        account: &Account,
        input: &ReconciliationInput,
    ) -> Result<Reconciliation, Error>;

    /// The account's reconciliations, newest first.
    async fn reconciliations(&self, account: &Account) -> Result<ReconciliationList, Error>;

    /// Deletes the account's latest reconciliation, unlocking what it locked.
    async fn delete_reconciliation(
        &self,
        account: &Account,
        id: ReconciliationId,
    ) -> Result<(), Error>;

    /// The account's balance at the end of `on` (`YYYY-MM-DD`; today when `None`).
    async fn balance_on(&self, account: &Account, on: Option<&str>) -> Result<DayBalance, Error>;

    /// A page of the account's history, newest first.
    async fn history(
        &self,
        account: &Account,
        query: &HistoryQueryInput,
    ) -> Result<HistoryPage, Error>;

    /// A page of the change feed after `query.since` (without it, the current state first).
    async fn changes(&self, query: &ChangesQueryInput) -> Result<ChangePage, Error>;

    /// Adds a webhook; the answer holds its secret, shown this once.
    async fn create_webhook(&self, input: &WebhookInput) -> Result<CreatedWebhook, Error>;

    /// The user's webhooks.
    async fn webhooks(&self) -> Result<WebhookList, Error>;

    /// Deletes one of the user's webhooks.
    async fn delete_webhook(&self, id: WebhookId) -> Result<(), Error>;

    /// A webhook's latest deliveries with their attempts.
    async fn webhook_deliveries(&self, id: WebhookId) -> Result<DeliveryList, Error>;

    /// Writes the user's books as a plaintext-accounting journal to `out`, as it is read.
    async fn export_journal(
        &self,
        query: &ExportQueryInput,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<(), Error>;

    /// Imports a journal (hledger's or Beancount's syntax) into new accounts: all of it
    /// or nothing, errors by line.
    async fn import_journal(&self, text: &str) -> Result<JournalImported, Error>;
}
