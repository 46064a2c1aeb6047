//! Reconciling an account with its bank, its balance on any day, and its history.

use async_trait::async_trait;
use time::{Date, OffsetDateTime};

use super::IdempotencyKey;
use super::error::StoreError;
use crate::domain::{
    AccountId, DayBalance, HistoryPage, HistoryQuery, Reconciled, Reconciliation, ReconciliationId,
    Statement, UserId,
};

/// Reconciliations, each recorded under its account's lock.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait ReconciliationRepository: Send + Sync {
    /// In one transaction, under the account's lock (so a movement racing it either counts
    /// or is refused): `Refused(Reconciled)` if `statement.date` is on or before the latest
    /// reconciled day; else the balance at the end of that day against the statement's. On
    /// a match it records the reconciliation as `id` (locking every movement dated after
    /// the previous reconciled day up to it) with its history entry; on a mismatch it writes
    /// nothing. `user` must be the account's owner or an editor. With `idempotency`, a retry
    /// of the same request answers the first reconciliation (`true` second).
    async fn reconcile(
        &self,
        user: UserId,
        account: AccountId,
        statement: &Statement,
        id: ReconciliationId,
        at: OffsetDateTime,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<(Reconciled, bool), StoreError>;

    /// The account's reconciliations, newest first. The caller has checked that `user`
    /// is a member (the store does not look again).
    async fn reconciliations(
        &self,
        user: UserId,
        account: AccountId,
    ) -> Result<Vec<Reconciliation>, StoreError>;

    /// Deletes the latest reconciliation, unlocking what it locked (the account's reconciled
    /// day goes back to the one before it), with its history entry; an older one is
    /// `Refused(Reconciled)`, a missing one `NotFound`.
    async fn delete_reconciliation(
        &self,
        user: UserId,
        account: AccountId,
        id: ReconciliationId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// The account's balance at the end of `on`: its balance less the movements dated
    /// after, summed by the database (`NotFound` for a non-member).
    async fn balance_on(
        &self,
        user: UserId,
        account: AccountId,
        on: Date,
    ) -> Result<DayBalance, StoreError>;
}

/// The history of the accounts: written by every write path in its own transaction (see
/// the adapters), read here.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait HistoryRepository: Send + Sync {
    /// A page of the account's history, newest first. The caller has checked that `user`
    /// is a member (the store does not look again).
    async fn history(
        &self,
        user: UserId,
        account: AccountId,
        query: &HistoryQuery,
    ) -> Result<HistoryPage, StoreError>;
}
