//! A movement and a schedule are written with their account's currency, so a reader can
//! price their amounts; the document describes them by those written forms.

use serde::{Deserialize, Deserializer, Serialize};
use time::{Date, OffsetDateTime};

use super::super::entities::{
    AccountId, MovementId, RuleId, ScheduleId, TransferId, UserId, UserRef,
};
use super::super::fields::{
    deserialize_date, deserialize_optional_date, serialize_date, serialize_optional_date,
};
use super::super::{Account, Currency, Money, Movement, Role, Split};
use super::money;

/// A movement as written: its fields and its account's currency.
#[derive(Serialize)]
struct MovementOut<'a> {
    id: MovementId,
    account_id: AccountId,
    amount: Money,
    currency: Currency,
    description: &'a str,
    category: Option<&'a str>,
    #[serde(serialize_with = "serialize_date")]
    occurred_on: Date,
    transfer_id: Option<TransferId>,
    schedule_id: Option<ScheduleId>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    created_by: &'a UserRef,
    updated_by: &'a UserRef,
    splits: Option<&'a [Split]>,
    tags: &'a [String],
    rule_id: Option<RuleId>,
    reconciled: bool,
}

impl Serialize for Movement {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MovementOut {
            id: self.id,
            account_id: self.account_id,
            amount: self.amount,
            currency: self.amount.currency(),
            description: &self.description,
            category: self.category.as_deref(),
            occurred_on: self.occurred_on,
            transfer_id: self.transfer_id,
            schedule_id: self.schedule_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: &self.created_by,
            updated_by: &self.updated_by,
            splits: self.splits.as_deref(),
            tags: &self.tags,
            rule_id: self.rule_id,
            reconciled: self.reconciled,
        }
        .serialize(s)
    }
}

/// One part of a split movement.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Split))]
pub(crate) struct SplitIn {
    /// In the account's currency; never zero.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::nonzero_amount))]
    amount: String,
    category: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    description: Option<String>,
}

/// Parts as read, in the record's currency.
pub(super) fn parts(
    read: Option<Vec<SplitIn>>,
    currency: Currency,
) -> Result<Option<Vec<Split>>, String> {
    read.map(|parts| {
        parts
            .into_iter()
            .map(|p| {
                Ok(Split {
                    amount: money(&p.amount, currency)?,
                    category: p.category,
                    description: p.description,
                })
            })
            .collect()
    })
    .transpose()
}

/// One income (positive amount) or expense (negative amount) on an account.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Movement))]
pub(crate) struct MovementIn {
    id: MovementId,
    account_id: AccountId,
    /// In the account's currency.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::nonzero_amount))]
    amount: String,
    /// The account's currency.
    currency: Currency,
    description: String,
    /// Always present; `null` when the movement has no category.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    category: Option<String>,
    #[serde(deserialize_with = "deserialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    occurred_on: Date,
    /// The transfer this movement is a leg of; changed only through the transfer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    transfer_id: Option<TransferId>,
    /// The schedule that booked this movement, if one did.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    schedule_id: Option<ScheduleId>,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    /// When it was last changed (its creation, until it is edited).
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    /// Who recorded it.
    created_by: UserRef,
    /// Who changed it last (who recorded it, until it is edited).
    updated_by: UserRef,
    /// Its parts when its amount is split between categories (its own category is then
    /// null), else null. (Absent from servers older than splits.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    splits: Option<Vec<SplitIn>>,
    /// Its tags, sorted.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    tags: Vec<String>,
    /// The first rule that changed it as it was recorded, if one did.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    rule_id: Option<RuleId>,
    /// Dated on or before the account's latest reconciliation: it cannot be changed or
    /// deleted. (Absent from servers older than reconciling.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    reconciled: bool,
}

impl<'de> Deserialize<'de> for Movement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = MovementIn::deserialize(d)?;
        Ok(Movement {
            id: m.id,
            account_id: m.account_id,
            amount: money(&m.amount, m.currency).map_err(serde::de::Error::custom)?,
            description: m.description,
            category: m.category,
            occurred_on: m.occurred_on,
            transfer_id: m.transfer_id,
            schedule_id: m.schedule_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            created_by: m.created_by,
            updated_by: m.updated_by,
            splits: parts(m.splits, m.currency).map_err(serde::de::Error::custom)?,
            tags: m.tags,
            rule_id: m.rule_id,
            reconciled: m.reconciled,
        })
    }
}

/// An account as written: with its owner and the reader's role.
#[derive(Serialize)]
struct AccountOut<'a> {
    id: AccountId,
    name: &'a str,
    currency: Currency,
    balance: Money,
    archived: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    owner: UserRef,
    role: Role,
    #[serde(serialize_with = "serialize_optional_date")]
    reconciled_on: Option<Date>,
}

impl Serialize for Account {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AccountOut {
            id: self.id,
            name: &self.name,
            currency: self.currency,
            balance: self.balance,
            archived: self.archived,
            created_at: self.created_at,
            owner: UserRef {
                id: self.owner_id,
                email: self.owner_email.clone(),
            },
            role: self.role,
            reconciled_on: self.reconciled_on,
        }
        .serialize(s)
    }
}

/// A place money is kept (a bank account, a wallet), in one currency.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Account))]
pub(crate) struct AccountIn {
    id: AccountId,
    name: String,
    currency: Currency,
    /// The sum of the account's movements, in its currency.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::amount))]
    balance: String,
    /// Archived accounts take no new movements or transfers, and still count in totals.
    /// (Absent from servers older than the field.)
    #[serde(default)]
    archived: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    /// Who owns it. (Absent from servers older than sharing: the reader then.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    owner: Option<UserRef>,
    /// What the reader may do with it. (Absent from servers older than sharing: owner.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    role: Option<Role>,
    /// The latest day it was reconciled through: movements dated on or before it are
    /// locked, and nothing new may be dated there. (Absent from servers older than
    /// reconciling.)
    #[serde(default, deserialize_with = "deserialize_optional_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    reconciled_on: Option<Date>,
}

impl<'de> Deserialize<'de> for Account {
    /// Without an owner on the wire (an older server), the owner is unknown here: the
    /// reader, whose own id only they know, fills it in.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let a = AccountIn::deserialize(d)?;
        let owner = a.owner.unwrap_or(UserRef {
            id: UserId(uuid::Uuid::nil()),
            email: None,
        });
        Ok(Account {
            id: a.id,
            owner_id: owner.id,
            owner_email: owner.email,
            role: a.role.unwrap_or(Role::Owner),
            balance: money(&a.balance, a.currency).map_err(serde::de::Error::custom)?,
            name: a.name,
            currency: a.currency,
            archived: a.archived,
            created_at: a.created_at,
            reconciled_on: a.reconciled_on,
        })
    }
}

/// The document names these for the forms they are written in.
#[cfg(feature = "openapi")]
mod schemas {
    use std::borrow::Cow;

    use utoipa::openapi::{RefOr, schema::Schema};

    use super::*;

    macro_rules! written_as {
        ($ty:ty, $form:ty, $name:literal) => {
            impl utoipa::PartialSchema for $ty {
                fn schema() -> RefOr<Schema> {
                    <$form as utoipa::PartialSchema>::schema()
                }
            }

            impl utoipa::ToSchema for $ty {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed($name)
                }

                fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                    <$form as utoipa::ToSchema>::schemas(schemas)
                }
            }
        };
    }

    written_as!(Account, AccountIn, "Account");
    written_as!(Movement, MovementIn, "Movement");
    written_as!(
        crate::domain::Schedule,
        super::super::schedule::ScheduleIn,
        "Schedule"
    );
}
