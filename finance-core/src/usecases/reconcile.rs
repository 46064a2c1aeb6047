use super::{App, Error};
use crate::domain::{
    AccountId, Action, DayBalance, Reconciled, Reconciliation, ReconciliationId,
    ReconciliationInput, ReconciliationList, Statement, UserId, parse_date,
};

impl App {
    /// Reconciles an account with a bank statement: when its balance at the end of the
    /// statement's day equals the statement's, records it and locks every movement dated
    /// on or before that day (`true` second for a retry with the same idempotency key);
    /// else `Unreconciled` with the difference (statement less ledger), nothing written.
    pub async fn reconcile(
        &self,
        user: UserId,
        account: AccountId,
        input: &ReconciliationInput,
        idempotency_key: Option<&str>,
    ) -> Result<(Reconciliation, bool), Error> {
        let key = idempotency_key
            .map(|k| super::add_movement::fingerprinted(k, &format!("reconcile:{account}"), input))
            .transpose()?;
        let found = self.account_for(user, account, Action::Write).await?;
        let now = self.clock.now();
        let statement = Statement::parse(input, found.currency, now.date())?;
        let id = ReconciliationId::random();
        let (reconciled, replayed) = self
            .reconciliations
            .reconcile(user, account, &statement, id, now, key)
            .await?;
        match reconciled {
            Reconciled::Recorded(r) => Ok((r, replayed)),
            Reconciled::Mismatch { ledger } => Err(Error::Unreconciled {
                difference: crate::domain::MoneySum::zero(found.currency)
                    .plus_minor(i128::from(statement.balance.minor()) - i128::from(ledger.minor()))
                    .to_string(),
            }),
        }
    }

    /// The account's reconciliations, newest first.
    pub async fn list_reconciliations(
        &self,
        user: UserId,
        account: AccountId,
    ) -> Result<ReconciliationList, Error> {
        self.account_for(user, account, Action::Read).await?;
        let items = self.reconciliations.reconciliations(user, account).await?;
        Ok(ReconciliationList { items })
    }

    /// Deletes the account's latest reconciliation, unlocking what it locked; an older one
    /// is a conflict.
    pub async fn delete_reconciliation(
        &self,
        user: UserId,
        account: AccountId,
        id: ReconciliationId,
    ) -> Result<(), Error> {
        self.account_for(user, account, Action::Write).await?;
        Ok(self
            .reconciliations
            .delete_reconciliation(user, account, id, self.clock.now())
            .await?)
    }

    /// The account's balance at the end of `on` (today when `None`).
    pub async fn balance_on(
        &self,
        user: UserId,
        account: AccountId,
        on: Option<&str>,
    ) -> Result<DayBalance, Error> {
        let on = match on {
            Some(raw) => parse_date("on", raw.trim())?,
            None => self.clock.now().date(),
        };
        Ok(self.reconciliations.balance_on(user, account, on).await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::*;
    use crate::ports::StoreError;
    use crate::usecases::{Error, testing::Mocks, testing::account};

    fn input(date: &str, balance: &str) -> ReconciliationInput {
        ReconciliationInput {
            date: date.into(),
            balance: balance.into(),
        }
    }

    #[tokio::test]
    async fn a_mismatch_is_the_statement_less_the_ledger_and_writes_nothing() {
        let mut m = Mocks::new();
        m.known_authors();
        let owner = UserId::random();
        let bank = account(owner, "Bank", "EUR", 10_000);
        let found = bank.clone();
        m.accounts
            .expect_get_account()
            .returning(move |_, _| Ok(Some(found.clone())));
        m.reconciliations
            .expect_reconcile()
            .withf(|_, _, s, _, _, _| s.balance.minor() == 9_950)
            .returning(|_, _, _, _, _, _| {
                let eur = Currency::parse("EUR").expect("EUR");
                Ok((
                    Reconciled::Mismatch {
                        ledger: Money::from_minor(10_000, eur),
                    },
                    false,
                ))
            });
        let app = m.app();
        let err = app
            .reconcile(owner, bank.id, &input("2026-11-20", "99.50"), None)
            .await
            .expect_err("mismatch");
        match err {
            Error::Unreconciled { difference } => assert_eq!(difference, "-0.50"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_viewer_may_not_reconcile_and_a_future_day_is_invalid() {
        let mut m = Mocks::new();
        m.known_authors();
        let owner = UserId::random();
        let mut shared = account(owner, "Bank", "EUR", 0);
        shared.role = Role::Viewer;
        let found = shared.clone();
        m.accounts
            .expect_get_account()
            .returning(move |_, _| Ok(Some(found.clone())));
        m.reconciliations.expect_reconcile().never();
        let app = m.app();
        let day = input("2026-11-20", "0");
        let viewer = app.reconcile(owner, shared.id, &day, None).await;
        assert!(matches!(viewer, Err(Error::Forbidden)));

        let mut m = Mocks::new();
        m.known_authors();
        let mine = account(owner, "Bank", "EUR", 0);
        let found = mine.clone();
        m.accounts
            .expect_get_account()
            .returning(move |_, _| Ok(Some(found.clone())));
        m.reconciliations.expect_reconcile().never();
        let app = m.app();
        let later = input("2099-01-01", "0");
        let future = app.reconcile(owner, mine.id, &later, None).await;
        assert!(matches!(future, Err(Error::Invalid(_))));
        let refused = StoreError::Refused(Refusal::Reconciled);
        assert!(matches!(
            Error::from(refused),
            Error::Conflict(Refusal::Reconciled)
        ));
    }
}
