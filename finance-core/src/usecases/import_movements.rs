use super::App;
use crate::domain::{AccountId, Money, MovementInput, NewMovement, UserId};
use crate::error::{Error, ImportFailure};

impl App {
    /// Records every row on one of the owner's accounts, or none: all rows are validated
    /// first (the first bad one is reported), then stored in one transaction. Returns the
    /// balance after.
    pub async fn import_movements(
        &self,
        owner: UserId,
        account: AccountId,
        rows: &[MovementInput],
    ) -> Result<Money, ImportFailure> {
        let account = self.get_account(owner, account).await?;
        let now = self.clock.now();
        let mut movements = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let new = NewMovement::parse(row, account.currency, now.date()).map_err(|e| {
                ImportFailure {
                    row: Some(i),
                    error: e.into(),
                }
            })?;
            movements.push(new.into_movement(account.id, now));
        }
        if movements.is_empty() {
            return Ok(account.balance);
        }
        Ok(self
            .movements
            .add_movements(owner, account.id, &movements)
            .await
            .map_err(Error::from)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::StoreError;
    use crate::usecases::testing::Mocks;

    fn row(amount: &str) -> MovementInput {
        MovementInput {
            amount: amount.into(),
            description: "row".into(),
            category: None,
            occurred_on: Some("2026-01-01".into()),
        }
    }

    fn mocks_with_account(owner: UserId) -> (Mocks, AccountId) {
        let account = crate::usecases::testing::account(owner, "Bank", "EUR", 0);
        let id = account.id;
        let mut m = Mocks::new();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        (m, id)
    }

    #[tokio::test]
    async fn one_bad_row_writes_nothing_and_is_named() {
        let owner = UserId::random();
        let (m, id) = mocks_with_account(owner);
        // No expectation on add_movements: a write would fail the test.
        let err = m
            .app()
            .import_movements(owner, id, &[row("1"), row("2"), row("x"), row("0")])
            .await;
        let err = err.expect_err("bad row");
        assert_eq!(err.row, Some(2));
        assert!(matches!(err.error, Error::Invalid(_)));
        assert!(err.to_string().starts_with("row 3: "), "{err}");
    }

    #[tokio::test]
    async fn good_rows_are_stored_together() {
        let owner = UserId::random();
        let (mut m, id) = mocks_with_account(owner);
        m.movements
            .expect_add_movements()
            .withf(move |_, a, ms| *a == id && ms.len() == 3)
            .times(1)
            .returning(|_, _, ms| {
                Ok(Money::from_minor(
                    ms.iter().map(|m| m.amount.minor()).sum(),
                    ms[0].amount.currency(),
                ))
            });
        let balance = m
            .app()
            .import_movements(owner, id, &[row("1"), row("-0.5"), row("2.25")])
            .await;
        assert_eq!(balance.expect("imported").to_string(), "2.75");
    }

    #[tokio::test]
    async fn overflow_is_not_blamed_on_a_row() {
        let owner = UserId::random();
        let (mut m, id) = mocks_with_account(owner);
        m.movements
            .expect_add_movements()
            .returning(|_, _, _| Err(StoreError::BalanceOverflow));
        let err = m
            .app()
            .import_movements(owner, id, &[row("1")])
            .await
            .expect_err("overflow");
        assert_eq!(err.row, None);
        assert!(matches!(err.error, Error::Invalid(_)));
    }
}
