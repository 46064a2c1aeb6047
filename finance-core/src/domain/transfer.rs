//! Money moved between two of a user's accounts: one movement out of the source, one into
//! the target, tied by the transfer's id and written together.

use time::{Date, OffsetDateTime};

use super::currency::Currency;
use super::entities::{
    Account, AccountId, DESCRIPTION_MAX, MovementId, TransferId, UserRef, parse_date,
};
use super::error::{ValidationError, Validator, text};
use super::money::Money;
use super::movement::Movement;

/// What a person sends to move money, before validation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::uuid))]
    pub from_account: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::uuid))]
    pub to_account: String,
    /// Positive, in the source account's currency.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::positive_amount))]
    pub amount: String,
    /// What arrived, in the target's currency: required when the currencies differ,
    /// absent or equal to `amount` when they match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_positive_amount))]
    pub to_amount: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::description))]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub occurred_on: Option<String>,
}

impl TransferInput {
    /// The two account ids, checked as ids.
    pub fn accounts(&self) -> Result<(AccountId, AccountId), ValidationError> {
        let mut v = Validator::new();
        let from = v.check(AccountId::parse("from_account", &self.from_account));
        let to = v.check(AccountId::parse("to_account", &self.to_account));
        v.finish(|| Some((from?, to?)))
    }
}

/// A change to a transfer, as sent: fields left out stay as they are. The accounts never
/// change (delete it and make another).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_positive_amount))]
    pub amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_positive_amount))]
    pub to_amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_description))]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub occurred_on: Option<String>,
}

impl TransferPatch {
    /// `before` with the change applied, checked by the rules of a new transfer; its id,
    /// legs' ids and creation stay, stamped `now`. Across currencies, a new amount without
    /// a new `to_amount` keeps what arrived.
    pub fn apply(
        &self,
        before: &Transfer,
        now: OffsetDateTime,
        by: &UserRef,
    ) -> Result<Transfer, ValidationError> {
        let (from, to) = (&before.from, &before.to);
        let sent = Money::from_minor(from.amount.minor().saturating_neg(), from.amount.currency());
        let same = from.amount.currency() == to.amount.currency();
        let input = TransferInput {
            from_account: from.account_id.to_string(),
            to_account: to.account_id.to_string(),
            amount: self.amount.clone().unwrap_or_else(|| sent.to_string()),
            to_amount: match (&self.to_amount, same) {
                (Some(t), _) => Some(t.clone()),
                (None, true) => None,
                (None, false) => Some(to.amount.to_string()),
            },
            description: self
                .description
                .clone()
                .unwrap_or_else(|| from.description.clone()),
            occurred_on: Some(
                self.occurred_on
                    .clone()
                    .unwrap_or_else(|| from.occurred_on.to_string()),
            ),
        };
        let fresh = Transfer::checked(
            &input,
            (from.account_id, from.amount.currency()),
            (to.account_id, to.amount.currency()),
            now,
            by,
        )?;
        let keep = |new: Movement, old: &Movement| Movement {
            id: old.id,
            transfer_id: Some(before.id),
            schedule_id: None,
            category: old.category.clone(),
            created_at: old.created_at,
            created_by: old.created_by.clone(),
            ..new
        };
        Ok(Transfer {
            id: before.id,
            from: keep(fresh.from, from),
            to: keep(fresh.to, to),
            rate: fresh.rate,
        })
    }
}

/// A transfer with its two legs: `from` takes the amount out, `to` puts what arrived in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transfer {
    pub id: TransferId,
    pub from: Movement,
    pub to: Movement,
    /// Units of the target currency per unit of the source, when they differ (6 decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
}

impl Transfer {
    /// A new transfer between the owner's accounts `from` and `to`, recorded at `now`.
    pub fn parse(
        input: &TransferInput,
        from: &Account,
        to: &Account,
        now: OffsetDateTime,
        by: &UserRef,
    ) -> Result<Transfer, ValidationError> {
        Self::checked(
            input,
            (from.id, from.currency),
            (to.id, to.currency),
            now,
            by,
        )
    }

    fn checked(
        input: &TransferInput,
        from: (AccountId, Currency),
        to: (AccountId, Currency),
        now: OffsetDateTime,
        by: &UserRef,
    ) -> Result<Transfer, ValidationError> {
        let ((from_id, from_currency), (to_id, to_currency)) = (from, to);
        let mut v = Validator::new();
        if from_id == to_id {
            v.check::<()>(Err(ValidationError::new(
                "to_account",
                "must be another account than from_account",
            )));
        }
        let amount = v.check(positive("amount", &input.amount, from_currency));
        let to_amount = v.check(match (&input.to_amount, from_currency == to_currency) {
            (None, true) => Money::parse(input.amount.trim(), to_currency),
            (Some(raw), true) => positive("to_amount", raw, to_currency).and_then(|t| {
                let same = Money::parse(input.amount.trim(), to_currency).ok() == Some(t);
                same.then_some(t).ok_or_else(|| {
                    ValidationError::new("to_amount", "must equal amount between one currency")
                })
            }),
            (None, false) => Err(ValidationError::new(
                "to_amount",
                format!("is required from {from_currency} to {to_currency}"),
            )),
            (Some(raw), false) => positive("to_amount", raw, to_currency),
        });
        let description = v.check(text("description", &input.description, DESCRIPTION_MAX));
        let occurred_on = v.check(match &input.occurred_on {
            Some(raw) => parse_date("occurred_on", raw),
            None => Ok(now.date()),
        });
        v.finish(|| {
            let (amount, to_amount) = (amount?, to_amount?);
            let out = Money::from_minor(amount.minor().checked_neg()?, amount.currency());
            Some(Transfer::between(
                (from_id, out),
                (to_id, to_amount),
                description?,
                occurred_on?,
                now,
                by,
            ))
        })
    }

    /// A new transfer of checked amounts: `sent` (negative) out of one account,
    /// `received` into the other, both legs with `description` on `on`.
    pub(crate) fn between(
        (from, sent): (AccountId, Money),
        (to, received): (AccountId, Money),
        description: String,
        on: Date,
        now: OffsetDateTime,
        by: &UserRef,
    ) -> Transfer {
        let id = TransferId::random();
        let leg = |account: AccountId, amount: Money| Movement {
            reconciled: false,
            id: MovementId::random(),
            account_id: account,
            amount,
            description: description.clone(),
            category: None,
            occurred_on: on,
            transfer_id: Some(id),
            schedule_id: None,
            created_at: now,
            updated_at: now,
            created_by: by.clone(),
            updated_by: by.clone(),
            splits: None,
            tags: Vec::new(),
            rule_id: None,
        };
        let rate = Transfer::rate_of(sent, received);
        Transfer {
            id,
            from: leg(from, sent),
            to: leg(to, received),
            rate,
        }
    }
}

fn positive(field: &str, raw: &str, currency: Currency) -> Result<Money, ValidationError> {
    let m = Money::parse(raw.trim(), currency)
        .map_err(|e| ValidationError::new(field, e.errors[0].message.clone()))?;
    if m.minor() <= 0 {
        return Err(ValidationError::new(field, "must be positive"));
    }
    Ok(m)
}

impl Transfer {
    /// `to` per unit of `from` (whatever their signs), in major units, to 6 decimals
    /// (rounded down); none between one currency.
    pub fn rate_of(from: Money, to: Money) -> Option<String> {
        if from.currency() == to.currency() {
            return None;
        }
        let scale = |e: u8| 10i128.checked_pow(u32::from(e));
        let num = i128::from(to.minor())
            .abs()
            .checked_mul(scale(from.currency().exponent())?)?
            .checked_mul(1_000_000)?;
        let den = i128::from(from.minor())
            .abs()
            .checked_mul(scale(to.currency().exponent())?)?;
        let micro = num.checked_div(den)?;
        Some(format!("{}.{:06}", micro / 1_000_000, micro % 1_000_000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Currency, UserId};

    fn account(code: &str) -> Account {
        let currency = Currency::parse(code).expect("currency");
        Account {
            reconciled_on: None,
            id: AccountId::random(),
            owner_id: UserId::random(),
            owner_email: None,
            role: crate::domain::Role::Owner,
            name: code.into(),
            currency,
            balance: Money::zero(currency),
            archived: false,
            created_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn input(amount: &str, to_amount: Option<&str>) -> TransferInput {
        TransferInput {
            from_account: String::new(),
            to_account: String::new(),
            amount: amount.into(),
            to_amount: to_amount.map(Into::into),
            description: "Savings".into(),
            occurred_on: Some("2026-11-20".into()),
        }
    }

    #[test]
    fn legs_mirror_each_other_between_one_currency() {
        let (a, b) = (account("EUR"), account("EUR"));
        let t = Transfer::parse(
            &input("100.00", None),
            &a,
            &b,
            OffsetDateTime::UNIX_EPOCH,
            &UserRef::sample(),
        )
        .expect("valid");
        assert_eq!(
            (t.from.amount.minor(), t.to.amount.minor()),
            (-10_000, 10_000)
        );
        assert_eq!(t.from.transfer_id, Some(t.id));
        assert_eq!(t.to.account_id, b.id);
        assert_eq!(t.rate, None);
        assert!(
            Transfer::parse(
                &input("100", Some("100.00")),
                &a,
                &b,
                OffsetDateTime::UNIX_EPOCH,
                &UserRef::sample(),
            )
            .is_ok()
        );
        let unequal = Transfer::parse(
            &input("100", Some("99")),
            &a,
            &b,
            OffsetDateTime::UNIX_EPOCH,
            &UserRef::sample(),
        );
        assert!(matches!(unequal, Err(v) if v.errors[0].field == "to_amount"));
    }

    #[test]
    fn another_currency_needs_what_arrived_and_gives_a_rate() {
        let (eur, jpy) = (account("EUR"), account("JPY"));
        let missing = Transfer::parse(
            &input("10", None),
            &eur,
            &jpy,
            OffsetDateTime::UNIX_EPOCH,
            &UserRef::sample(),
        );
        assert!(matches!(missing, Err(v) if v.errors[0].field == "to_amount"));
        let t = Transfer::parse(
            &input("10.00", Some("1625")),
            &eur,
            &jpy,
            OffsetDateTime::UNIX_EPOCH,
            &UserRef::sample(),
        )
        .expect("valid");
        assert_eq!(t.to.amount.minor(), 1_625);
        assert_eq!(t.rate.as_deref(), Some("162.500000"));
    }

    #[test]
    fn bad_transfers_name_every_field() {
        let a = account("EUR");
        let mut bad = input("-5", None);
        bad.description = String::new();
        let err = Transfer::parse(&bad, &a, &a, OffsetDateTime::UNIX_EPOCH, &UserRef::sample())
            .expect_err("bad");
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"to_account")
                && fields.contains(&"amount")
                && fields.contains(&"description"),
            "{fields:?}"
        );
    }
}
