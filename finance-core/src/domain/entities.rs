//! The records the service keeps: ids, users and accounts (movements: `movement.rs`).

use time::OffsetDateTime;

use super::currency::Currency;
use super::email::Email;
use super::error::{ValidationError, Validator, text};
use super::money::Money;

pub use super::fields::parse_date;
pub(crate) use super::fields::{present, serialize_date};

pub use super::ids::*;

/// A person who signed up with an email address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub email: Email,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The currency the net worth is shown in; `null` until the user picks one.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub base_currency: Option<Currency>,
}

/// Who did something: a user's id and email (`null` once that user has left for good).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: UserId,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, required = true))]
    pub email: Option<Email>,
}

#[cfg(any(test, feature = "testing"))]
impl UserRef {
    /// An author for tests.
    pub fn sample() -> Self {
        Self {
            id: UserId(uuid::Uuid::from_u128(7)),
            email: Email::parse("author@example.com").ok(),
        }
    }
}

impl From<&User> for UserRef {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            email: Some(u.email.clone()),
        }
    }
}

/// What a user may do with an account: its owner everything, an editor its movements,
/// transfers, schedules and imports, a viewer read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Owner,
    Editor,
    Viewer,
}

/// A place money is kept (a bank account, a wallet), in one currency.
///
/// `balance` is always the sum of the account's movements; the store keeps it up to date
/// in the same transaction as each insert, so reading it never scans the history. Written
/// with its owner (`{"id","email"}`) and the reader's `role` (see `wire`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub owner_id: UserId,
    /// The owner's email, when it was read with the account.
    pub owner_email: Option<Email>,
    /// What the user who read it may do with it.
    pub role: Role,
    pub name: String,
    pub currency: Currency,
    pub balance: Money,
    /// Archived accounts take no new movements or transfers, and still count in totals.
    pub archived: bool,
    pub created_at: OffsetDateTime,
    /// The latest day it was reconciled through: what is dated on or before it is locked.
    pub reconciled_on: Option<time::Date>,
}

/// Longest account name, in characters.
pub const ACCOUNT_NAME_MAX: usize = 100;
/// Longest movement description, in characters.
pub const DESCRIPTION_MAX: usize = 200;
/// Longest category, in characters.
pub const CATEGORY_MAX: usize = 50;

/// What a person types to open an account, before validation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::name))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::currency))]
    pub currency: String,
}

/// Every account of a user, archived ones too, ordered by name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountList {
    pub items: Vec<Account>,
}

/// A change to an account, as sent: fields left out stay as they are. The currency never
/// changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_name))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

impl AccountPatch {
    /// `account` with the change applied, the new name checked as when opening one.
    pub fn apply(&self, account: &Account) -> Result<Account, ValidationError> {
        let mut changed = account.clone();
        if let Some(name) = &self.name {
            changed.name = text("name", name, ACCOUNT_NAME_MAX)?;
        }
        if let Some(archived) = self.archived {
            changed.archived = archived;
        }
        Ok(changed)
    }
}

/// A validated request to open an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub currency: Currency,
}

impl NewAccount {
    /// Checks every field and reports all failures at once. Names are trimmed.
    pub fn parse(input: &AccountInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let name = v.check(text("name", &input.name, ACCOUNT_NAME_MAX));
        let currency = v.check(Currency::parse(input.currency.trim()));
        v.finish(|| {
            Some(Self {
                name: name?,
                currency: currency?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Movement, MovementInput, NewMovement};
    use time::macros::date;

    fn input(amount: &str, description: &str) -> MovementInput {
        MovementInput {
            amount: amount.into(),
            description: description.into(),
            category: None,
            occurred_on: None,
            splits: None,
            tags: Vec::new(),
        }
    }

    fn eur() -> Currency {
        Currency::parse("EUR").expect("EUR")
    }

    #[test]
    fn movement_defaults_date_to_today() {
        let m = NewMovement::parse(&input("-12.5", " Lunch "), eur(), date!(2026 - 11 - 24))
            .expect("valid");
        assert_eq!(m.amount.minor(), -1250);
        assert_eq!(m.description, "Lunch");
        assert_eq!(m.occurred_on, date!(2026 - 11 - 24));
    }

    #[test]
    fn movement_reports_every_bad_field() {
        let bad = MovementInput {
            amount: "0.00".into(),
            description: "x".repeat(201),
            category: Some("  ".into()),
            occurred_on: Some("2026-13-01".into()),
            splits: None,
            tags: Vec::new(),
        };
        let err = NewMovement::parse(&bad, eur(), date!(2026 - 11 - 24)).expect_err("invalid");
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["amount", "description", "category", "occurred_on"]);
    }

    #[test]
    fn account_name_and_currency_are_checked_together() {
        let err = NewAccount::parse(&AccountInput {
            name: "".into(),
            currency: "EURO".into(),
        })
        .expect_err("invalid");
        assert_eq!(err.errors.len(), 2);
        let ok = NewAccount::parse(&AccountInput {
            name: " Cash ".into(),
            currency: "JPY".into(),
        })
        .expect("valid");
        assert_eq!(ok.name, "Cash");
        assert_eq!(ok.currency.exponent(), 0);
    }

    #[test]
    fn movements_serialize_in_wire_form() {
        let m = Movement {
            reconciled: false,
            id: MovementId(uuid::Uuid::nil()),
            account_id: AccountId(uuid::Uuid::nil()),
            amount: Money::from_minor(-1250, eur()),
            description: "Lunch".into(),
            category: None,
            occurred_on: date!(2026 - 01 - 05),
            transfer_id: None,
            schedule_id: None,
            created_at: time::macros::datetime!(2026-01-05 12:30:00 UTC),
            updated_at: time::macros::datetime!(2026-01-05 12:30:00 UTC),
            created_by: UserRef::sample(),
            updated_by: UserRef::sample(),
            splits: None,
            tags: Vec::new(),
            rule_id: None,
        };
        let json = serde_json::to_value(&m).expect("json");
        assert_eq!(json["amount"], "-12.50");
        assert_eq!(json["occurred_on"], "2026-01-05");
        assert_eq!(json["created_at"], "2026-01-05T12:30:00Z");
        assert_eq!(json["category"], serde_json::Value::Null);
    }

    #[test]
    fn dates_need_four_digit_years() {
        assert_eq!(parse_date("d", "2026-02-28"), Ok(date!(2026 - 02 - 28)));
        for bad in [
            "2026-02-30",
            "999-01-01",
            "0999-01-01",
            "+12026-01-01",
            "-2026-01-01",
            "26-1-1",
            "2026/01/01",
        ] {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let name = "é".repeat(ACCOUNT_NAME_MAX);
        assert!(
            NewAccount::parse(&AccountInput {
                name,
                currency: "EUR".into()
            })
            .is_ok()
        );
    }

    #[test]
    fn text_fields_refuse_control_characters() {
        for bad in [
            "a\u{0}b",
            "a\nb",
            "tab\there",
            "a\u{7f}b",
            "a\u{2028}b",
            "\u{1b}[31m",
        ] {
            let err = NewMovement::parse(
                &MovementInput {
                    amount: "1".into(),
                    description: bad.into(),
                    category: Some(bad.into()),
                    occurred_on: None,
                    splits: None,
                    tags: Vec::new(),
                },
                eur(),
                time::macros::date!(2026 - 11 - 24),
            )
            .expect_err(bad);
            let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["description", "category"], "{bad:?}");
            let err = NewAccount::parse(&AccountInput {
                name: bad.into(),
                currency: "EUR".into(),
            })
            .expect_err(bad);
            assert_eq!(err.errors[0].field, "name");
        }
        // Surrounding spaces are trimmed; a tab or a newline around the text is refused as
        // inside it (the API's document forbids control characters anywhere, issue 26).
        let name = |raw: &str| {
            NewAccount::parse(&AccountInput {
                name: raw.into(),
                currency: "EUR".into(),
            })
            .map(|a| a.name)
        };
        assert_eq!(name("  Bank \u{a0}").ok().as_deref(), Some("Bank"));
        assert!(name("\n Bank \t").is_err());
    }
}
