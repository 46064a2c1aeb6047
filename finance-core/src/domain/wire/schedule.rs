//! A schedule as written: with its account's currency, so a reader can price its amounts.

use serde::{Deserialize, Deserializer, Serialize};
use time::{Date, OffsetDateTime};

use super::super::entities::{AccountId, ScheduleId, UserId};
use super::super::fields::{
    deserialize_date, deserialize_optional_date, serialize_date, serialize_optional_date,
};
use super::super::schedule::{Every, Schedule};
use super::super::{Currency, Money, Split};
use super::money;
use super::written::{SplitIn, parts};

/// A schedule as written: its fields and its account's currency.
#[derive(Serialize)]
struct ScheduleOut<'a> {
    id: ScheduleId,
    account: AccountId,
    amount: Money,
    currency: Currency,
    description: &'a str,
    category: Option<&'a str>,
    #[serde(serialize_with = "serialize_date")]
    start: Date,
    #[serde(serialize_with = "serialize_optional_date")]
    end: Option<Date>,
    every: Every,
    interval: u32,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    splits: Option<&'a [Split]>,
    tags: &'a [String],
}

impl Serialize for Schedule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ScheduleOut {
            id: self.id,
            account: self.account,
            amount: self.amount,
            currency: self.amount.currency(),
            description: &self.description,
            category: self.category.as_deref(),
            start: self.start,
            end: self.end,
            every: self.every,
            interval: self.interval,
            created_at: self.created_at,
            updated_at: self.updated_at,
            splits: self.splits.as_deref(),
            tags: &self.tags,
        }
        .serialize(s)
    }
}

/// A movement that repeats: on each date of its recurrence, `amount` on `account`.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Schedule))]
pub(crate) struct ScheduleIn {
    id: ScheduleId,
    /// The account's id.
    account: AccountId,
    /// In the account's currency.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::super::schemas::nonzero_amount))]
    amount: String,
    /// The account's currency.
    currency: Currency,
    description: String,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    category: Option<String>,
    #[serde(deserialize_with = "deserialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    start: Date,
    #[serde(deserialize_with = "deserialize_optional_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, required = true))]
    end: Option<Date>,
    every: Every,
    interval: u32,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    /// The parts each booked movement is split into, else null. (Absent from servers
    /// older than splits.)
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    splits: Option<Vec<SplitIn>>,
    /// The tags each booked movement carries.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    tags: Vec<String>,
}

impl<'de> Deserialize<'de> for Schedule {
    /// The owner is not on the wire: the reader's own id is theirs to fill in.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = ScheduleIn::deserialize(d)?;
        Ok(Schedule {
            id: s.id,
            owner_id: UserId(uuid::Uuid::nil()),
            account: s.account,
            amount: money(&s.amount, s.currency).map_err(serde::de::Error::custom)?,
            description: s.description,
            category: s.category,
            start: s.start,
            end: s.end,
            every: s.every,
            interval: s.interval,
            created_at: s.created_at,
            updated_at: s.updated_at,
            splits: parts(s.splits, s.currency).map_err(serde::de::Error::custom)?,
            tags: s.tags,
        })
    }
}
