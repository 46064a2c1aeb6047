use super::{App, Error};
use crate::domain::{AccountId, Action, MovementInput, NewMovement, UserId, ValidationError};
use crate::ports::{Added, Cause, IdempotencyKey};

/// Longest accepted `Idempotency-Key`.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

impl App {
    /// Records a movement on one of the owner's accounts and moves its balance, after the
    /// owner's rules had their say (see [`crate::domain::RuleBook::categorise`]).
    ///
    /// With an idempotency key, a retry of the same request returns the first movement and
    /// writes nothing; the same key with a different request is a conflict.
    pub async fn add_movement(
        &self,
        owner: UserId,
        account: AccountId,
        input: &MovementInput,
        idempotency_key: Option<&str>,
    ) -> Result<Added, Error> {
        let key = idempotency_key
            .map(|k| idempotency(k, account, input))
            .transpose()?;
        let currency = match self.known.currency(owner, account) {
            Some(currency) => currency,
            None => {
                let found = self.account_for(owner, account, Action::Write).await?;
                self.known.remember(owner, &found);
                found.currency
            }
        };
        let now = self.clock.now();
        let by = self.author(owner).await?;
        let mut movement =
            NewMovement::parse(input, currency, now.date())?.into_movement(account, now, &by);
        self.rule_book(owner)
            .await?
            .categorise(&mut movement, input.category.is_some());
        Ok(self.movements.add_movement(owner, &movement, key).await?)
    }
}

/// The key with a fingerprint of the request as the client sent it, so that a retry on
/// another day (with `occurred_on` defaulting to another today) still matches.
fn idempotency(
    key: &str,
    account: AccountId,
    input: &MovementInput,
) -> Result<IdempotencyKey, Error> {
    fingerprinted(key, &account.to_string(), input)
}

/// The key, if it is one, with the fingerprint `what:<the request body as JSON>`: the one
/// way every keyed write fingerprints its request.
pub(super) fn fingerprinted(
    key: &str,
    what: &str,
    body: &impl serde::Serialize,
) -> Result<IdempotencyKey, Error> {
    let body = serde_json::to_string(body)
        .map_err(|e| Error::Internal(Cause::context("fingerprinting the request", e)))?;
    checked_key(key, format!("{what}:{body}"))
}

/// The key, if it is one, with the fingerprint of the request it comes with.
pub(super) fn checked_key(key: &str, fingerprint: String) -> Result<IdempotencyKey, Error> {
    let ok = !key.is_empty()
        && key.len() <= IDEMPOTENCY_KEY_MAX
        && key.bytes().all(|b| b.is_ascii_graphic());
    if !ok {
        return Err(ValidationError::new(
            "Idempotency-Key",
            format!("must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"),
        )
        .into());
    }
    Ok(IdempotencyKey {
        key: key.to_string(),
        fingerprint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::StoreError;
    use crate::usecases::testing::Mocks;

    fn eur_account(owner: UserId) -> crate::domain::Account {
        crate::usecases::testing::account(owner, "Bank", "EUR", 0)
    }

    fn input(amount: &str) -> MovementInput {
        MovementInput {
            amount: amount.into(),
            description: "Groceries".into(),
            category: Some("food".into()),
            occurred_on: Some("2026-11-20".into()),
            splits: None,
            tags: Vec::new(),
        }
    }

    #[tokio::test]
    async fn stores_a_parsed_movement_with_the_key() {
        let owner = UserId::random();
        let account = eur_account(owner);
        let id = account.id;
        let mut m = Mocks::new();
        m.known_authors();
        m.no_rules();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        m.movements
            .expect_add_movement()
            .withf(move |o, mv, key| {
                *o == owner
                    && mv.account_id == id
                    && mv.amount.minor() == -4_210
                    && key
                        .as_ref()
                        .is_some_and(|k| k.key == "k-1" && k.fingerprint.contains("-42.1"))
            })
            .times(1)
            .returning(|_, mv, _| {
                Ok(Added::Created {
                    movement: mv.clone(),
                    balance: mv.amount,
                })
            });
        let added = m
            .app()
            .add_movement(owner, id, &input("-42.1"), Some("k-1"))
            .await;
        assert!(
            matches!(added, Ok(Added::Created { balance, .. }) if balance.to_string() == "-42.10")
        );
    }

    #[tokio::test]
    async fn the_owners_rules_categorise_but_a_sent_category_stays() {
        let owner = UserId::random();
        let account = eur_account(owner);
        let id = account.id;
        let mut m = Mocks::new();
        m.known_authors();
        let rule = crate::domain::Rule {
            id: crate::domain::RuleId::random(),
            owner_id: owner,
            name: "groceries".into(),
            position: 1,
            when: crate::domain::Conditions {
                description_contains: Some("groc".into()),
                ..Default::default()
            },
            then: crate::domain::Actions {
                category: Some("food".into()),
                add_tags: vec!["weekly".into()],
                description: None,
            },
            applied: 0,
            created_at: m.now,
            updated_at: m.now,
        };
        let rule_id = rule.id;
        // Read once: the second write uses the book kept by the app.
        m.rules
            .expect_rules()
            .times(1)
            .returning(move |_| Ok(vec![rule.clone()]));
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        m.movements.expect_add_movement().returning(|_, mv, _| {
            Ok(Added::Created {
                movement: mv.clone(),
                balance: mv.amount,
            })
        });
        let app = m.app();
        let bare = MovementInput {
            category: None,
            ..input("-3")
        };
        let Ok(Added::Created { movement, .. }) = app.add_movement(owner, id, &bare, None).await
        else {
            panic!("not added");
        };
        assert_eq!(movement.category.as_deref(), Some("food"));
        assert_eq!(movement.tags, ["weekly"]);
        assert_eq!(movement.rule_id, Some(rule_id));
        let sent = MovementInput {
            category: Some("party".into()),
            ..input("-3")
        };
        let Ok(Added::Created { movement, .. }) = app.add_movement(owner, id, &sent, None).await
        else {
            panic!("not added");
        };
        assert_eq!(movement.category.as_deref(), Some("party"));
        assert_eq!(movement.tags, ["weekly"]);
    }

    #[tokio::test]
    async fn a_known_account_is_read_once_and_only_for_its_owner() {
        let owner = UserId::random();
        let account = eur_account(owner);
        let id = account.id;
        let mut m = Mocks::new();
        m.known_authors();
        m.no_rules();
        // Read for the first movement, then remembered; the stranger's try reads again.
        m.accounts
            .expect_get_account()
            .withf(move |o, _| *o == owner)
            .times(1)
            .return_const(Ok(Some(account)));
        m.accounts
            .expect_get_account()
            .withf(move |o, _| *o != owner)
            .times(1)
            .return_const(Ok(None));
        m.movements
            .expect_add_movement()
            .times(2)
            .returning(|_, mv, _| {
                Ok(Added::Created {
                    movement: mv.clone(),
                    balance: mv.amount,
                })
            });
        let app = m.app();
        for _ in 0..2 {
            let added = app.add_movement(owner, id, &input("1"), None).await;
            assert!(matches!(added, Ok(Added::Created { .. })));
        }
        let stranger = app
            .add_movement(UserId::random(), id, &input("1"), None)
            .await;
        assert!(matches!(stranger, Err(Error::NotFound)));
    }

    #[tokio::test]
    async fn the_same_request_has_the_same_fingerprint() {
        let a = AccountId::random();
        let first = idempotency("k", a, &input("1")).expect("key");
        assert_eq!(first, idempotency("k", a, &input("1")).expect("key"));
        assert_ne!(first, idempotency("k", a, &input("2")).expect("key"));
        assert_ne!(
            first,
            idempotency("k", AccountId::random(), &input("1")).expect("key")
        );
    }

    #[tokio::test]
    async fn invalid_amount_and_bad_key_write_nothing() {
        let owner = UserId::random();
        let account = eur_account(owner);
        let id = account.id;
        let mut m = Mocks::new();
        m.known_authors();
        m.no_rules();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        let app = m.app();
        for amount in ["0", "1.001", "abc", "99999999999999999999"] {
            let err = app.add_movement(owner, id, &input(amount), None).await;
            assert!(
                matches!(err, Err(Error::Invalid(v)) if v.errors[0].field == "amount"),
                "{amount}"
            );
        }
        let err = app
            .add_movement(owner, id, &input("1"), Some("with space"))
            .await;
        assert!(matches!(err, Err(Error::Invalid(v)) if v.errors[0].field == "Idempotency-Key"));
    }

    #[tokio::test]
    async fn store_outcomes_map_to_errors() {
        let owner = UserId::random();
        let account = eur_account(owner);
        let id = account.id;
        let mut m = Mocks::new();
        m.known_authors();
        m.no_rules();
        m.accounts
            .expect_get_account()
            .return_const(Ok(Some(account)));
        let mut outcomes = vec![
            StoreError::Unavailable("down".into()),
            StoreError::Refused(crate::domain::Refusal::IdempotencyKeyReused),
            StoreError::BalanceOverflow,
        ];
        m.movements
            .expect_add_movement()
            .times(3)
            .returning(move |_, _, _| Err(outcomes.pop().unwrap_or(StoreError::NotFound)));
        let app = m.app();
        let mut errs = Vec::new();
        for _ in 0..3 {
            errs.push(app.add_movement(owner, id, &input("1"), Some("k")).await);
        }
        assert!(matches!(&errs[0], Err(Error::Invalid(v)) if v.errors[0].field == "amount"));
        assert!(matches!(&errs[1], Err(Error::Conflict(_))));
        assert!(matches!(&errs[2], Err(Error::Unavailable(_))));
    }
}
