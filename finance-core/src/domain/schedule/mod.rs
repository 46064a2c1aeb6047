//! Recurring movements: a schedule books a movement on each of its dates, once.

use time::{Date, OffsetDateTime};

use super::currency::Currency;
use super::entities::{AccountId, ScheduleId, UserId, parse_date, present};
use super::error::{ValidationError, Validator, text};
use super::fields::optional_whole_number;
use super::money::Money;
use super::split::{Split, SplitInput, parse_splits, patched_parts};
use super::tags::parse_tags;

pub use super::recurrence::{Every, MAX_BOOKED_AT_ONCE, MAX_INTERVAL, Recurrence};

/// A movement that repeats: on each date of its recurrence, `amount` on `account`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: ScheduleId,
    pub owner_id: UserId,
    /// The account's id.
    pub account: AccountId,
    pub amount: Money,
    pub description: String,
    pub category: Option<String>,
    pub start: Date,
    pub end: Option<Date>,
    pub every: Every,
    pub interval: u32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The parts each movement it books is split into (its category is then `None`).
    pub splits: Option<Vec<Split>>,
    /// The tags each movement it books carries.
    pub tags: Vec<String>,
}

impl Schedule {
    pub fn recurrence(&self) -> Recurrence {
        Recurrence {
            start: self.start,
            end: self.end,
            every: self.every,
            interval: self.interval,
        }
    }
}

/// What a person sends to make a schedule, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleInput {
    /// The account's id (the CLI takes a name and sends its id).
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::uuid))]
    pub account: String,
    /// Signed, in the account's currency.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::nonzero_amount))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::description))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_category))]
    pub category: Option<String>,
    /// The first date, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::date))]
    pub start: String,
    /// The last possible date, inclusive.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub end: Option<String>,
    /// day, week, month or year.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::every))]
    pub every: String,
    /// Every how many `every`s; 1 when absent.
    #[serde(default, deserialize_with = "optional_whole_number")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_interval))]
    pub interval: Option<u32>,
    /// Parts each booked movement is split into, as a movement's `splits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_split_list))]
    pub splits: Option<Vec<SplitInput>>,
    /// Tags each booked movement carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::tag_list))]
    pub tags: Vec<String>,
}

/// The checked parts of a schedule, before it is given an id and an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRules {
    pub amount: Money,
    pub description: String,
    pub category: Option<String>,
    pub recurrence: Recurrence,
    pub splits: Option<Vec<Split>>,
    pub tags: Vec<String>,
}

impl ScheduleRules {
    /// Checks everything but the account (the caller has read it: its `currency` rules
    /// the amount).
    pub fn parse(input: &ScheduleInput, currency: Currency) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let amount = v.check(Money::parse_nonzero(input.amount.trim(), currency));
        let description = v.check(text("description", &input.description, 200));
        let category = v.check(
            input
                .category
                .as_deref()
                .map(|c| text("category", c, 50))
                .transpose(),
        );
        let start = v.check(parse_date("start", &input.start));
        let end = v.check(
            input
                .end
                .as_deref()
                .map(|d| parse_date("end", d))
                .transpose(),
        );
        let every = v.check(Every::parse(&input.every));
        let interval = v.check(match input.interval {
            None => Ok(1),
            Some(n) if (1..=MAX_INTERVAL).contains(&n) => Ok(n),
            Some(_) => Err(ValidationError::new(
                "interval",
                format!("must be a whole number from 1 to {MAX_INTERVAL}"),
            )),
        });
        if let (Some(s), Some(Some(e))) = (start, end)
            && e < s
        {
            v.check::<()>(Err(ValidationError::new(
                "end",
                "must not be before `start`",
            )));
        }
        let splits = v.check(match &input.splits {
            Some(_) if input.category.is_some() => Err(ValidationError::new(
                "category",
                "a split schedule has no category of its own: each part has one",
            )),
            Some(parts) => parse_splits(parts, amount, currency).map(Some),
            None => Ok(None),
        });
        let tags = v.check(parse_tags(&input.tags));
        v.finish(|| {
            Some(Self {
                splits: splits?,
                tags: tags?,
                amount: amount?,
                description: description?,
                category: category?,
                recurrence: Recurrence {
                    start: start?,
                    end: end?,
                    every: every?,
                    interval: interval?,
                },
            })
        })
    }
}

/// A change to a schedule: fields left out stay; `category` and `end` take `null` to
/// clear. The account never changes (make another schedule).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SchedulePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_nonzero_amount))]
    pub amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_description))]
    pub description: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_category))]
    pub category: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub start: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub end: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_every))]
    pub every: Option<String>,
    #[serde(
        default,
        deserialize_with = "optional_whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_interval))]
    pub interval: Option<u32>,
    /// Absent: unchanged; `null`: no longer split; parts: split so.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_split_list))]
    pub splits: Option<Option<Vec<SplitInput>>>,
    /// Absent: unchanged; a list replaces the tags (`null` is refused: `[]` clears them).
    #[serde(
        default,
        deserialize_with = "super::fields::not_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::tag_list))]
    pub tags: Option<Vec<String>>,
}

impl SchedulePatch {
    /// `before` with the change applied and checked by the rules of a new schedule.
    pub fn apply(
        &self,
        before: &Schedule,
        now: OffsetDateTime,
    ) -> Result<Schedule, ValidationError> {
        let (category, splits) = patched_parts(
            &self.category,
            &self.splits,
            &before.category,
            before.splits.as_deref(),
        );
        let input = ScheduleInput {
            account: before.account.to_string(),
            amount: self
                .amount
                .clone()
                .unwrap_or_else(|| before.amount.to_string()),
            description: self
                .description
                .clone()
                .unwrap_or_else(|| before.description.clone()),
            category,
            start: self
                .start
                .clone()
                .unwrap_or_else(|| before.start.to_string()),
            end: self
                .end
                .clone()
                .unwrap_or_else(|| before.end.map(|e| e.to_string())),
            every: self
                .every
                .clone()
                .unwrap_or_else(|| before.every.as_str().into()),
            interval: self.interval.or(Some(before.interval)),
            splits,
            tags: self.tags.clone().unwrap_or_else(|| before.tags.clone()),
        };
        let rules = ScheduleRules::parse(&input, before.amount.currency())?;
        Ok(Schedule {
            amount: rules.amount,
            description: rules.description,
            category: rules.category,
            start: rules.recurrence.start,
            end: rules.recurrence.end,
            every: rules.recurrence.every,
            interval: rules.recurrence.interval,
            splits: rules.splits,
            tags: rules.tags,
            updated_at: now,
            ..before.clone()
        })
    }
}

/// The dates a schedule will book next.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Upcoming {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    #[serde(
        serialize_with = "serialize_dates",
        deserialize_with = "crate::domain::fields::deserialize_dates"
    )]
    pub dates: Vec<Date>,
}

fn serialize_dates<S: serde::Serializer>(dates: &[Date], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(dates.iter().map(|d| d.to_string()))
}

/// The schedules of a user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleList {
    pub items: Vec<Schedule>,
}

#[cfg(test)]
mod tests;
