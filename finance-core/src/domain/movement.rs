//! Movements: one income or expense on an account, what a person types to record or change
//! one, and the checks between the two.

use time::{Date, OffsetDateTime};

use super::currency::Currency;
use super::entities::{
    AccountId, CATEGORY_MAX, DESCRIPTION_MAX, MovementId, RuleId, ScheduleId, TransferId, UserRef,
};
use super::error::{ValidationError, Validator, text};
use super::fields::{parse_date, present};
use super::money::Money;
use super::split::{Split, SplitInput, parse_splits, patched_parts};
use super::tags::parse_tags;

/// One income (positive amount) or expense (negative amount) on an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: MovementId,
    pub account_id: AccountId,
    pub amount: Money,
    pub description: String,
    /// Always present; `null` when the movement has no category.
    pub category: Option<String>,
    pub occurred_on: Date,
    /// The transfer this movement is a leg of; changed only through the transfer.
    pub transfer_id: Option<TransferId>,
    /// The schedule that booked this movement, if one did.
    pub schedule_id: Option<ScheduleId>,
    pub created_at: OffsetDateTime,
    /// When it was last changed (its creation, until it is edited).
    pub updated_at: OffsetDateTime,
    /// Who recorded it.
    pub created_by: UserRef,
    /// Who changed it last (who recorded it, until it is edited).
    pub updated_by: UserRef,
    /// Its parts, when its amount is divided between categories (its own category is
    /// then `None`).
    pub splits: Option<Vec<Split>>,
    /// Its tags: sorted, without repeats.
    pub tags: Vec<String>,
    /// The first rule that changed it as it was recorded (or by an apply).
    pub rule_id: Option<RuleId>,
    /// Dated on or before its account's latest reconciliation: locked.
    pub reconciled: bool,
}

impl Movement {
    /// The categories it counts in: each part's when split, else its own (none without).
    pub fn categories(&self) -> Vec<&str> {
        match (&self.splits, &self.category) {
            (Some(parts), _) => parts.iter().map(|p| p.category.as_str()).collect(),
            (None, own) => own.as_deref().into_iter().collect(),
        }
    }

    /// A tag of this exact state of the movement (its HTTP `ETag`): any change to it gives
    /// another tag.
    pub fn etag(&self) -> String {
        use sha2::{Digest, Sha256};
        let state = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&state);
        format!("\"{}\"", hex::encode(&digest[..12]))
    }
}

/// What a person types to record a movement, before validation.
///
/// `amount` is a decimal string in the account's currency; `occurred_on` defaults to
/// today when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
// One whole example whose parts sum to the amounts' example (-12), as the split list's own
// example does: examples put together from either stay a request the server takes.
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(examples(json!({"amount": "-12", "description": "Supermarket",
        "occurred_on": "2026-11-30", "tags": ["weekly"],
        "splits": [{"amount": "-7", "category": "food"},
                   {"amount": "-5", "category": "household"}]})))
)]
pub struct MovementInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::nonzero_amount))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::description))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_category))]
    pub category: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub occurred_on: Option<String>,
    /// The amount divided between categories: at least two parts summing exactly to
    /// `amount`; `category` must then be absent or null.
    // Left out when absent, so a request's idempotency fingerprint reads as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_split_list))]
    pub splits: Option<Vec<SplitInput>>,
    /// Up to 10 tags, lower-cased.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::tag_list))]
    pub tags: Vec<String>,
}

/// A change to a movement, as sent: fields left out stay as they are; `category: null`
/// clears the category.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MovementPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_nonzero_amount))]
    pub amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_description))]
    pub description: Option<String>,
    /// Absent: unchanged; `null`: cleared.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_category))]
    pub category: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_date))]
    pub occurred_on: Option<String>,
    /// Absent: unchanged; `null`: no longer split; parts: split so (the category is
    /// cleared unless sent, which is refused).
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

impl MovementPatch {
    /// `before` with the change applied and checked by the rules of a new movement (in
    /// the account's currency), stamped `now` and `by`; its id, account and creation stay.
    pub fn apply(
        &self,
        before: &Movement,
        now: OffsetDateTime,
        by: &UserRef,
    ) -> Result<Movement, ValidationError> {
        let (category, splits) = patched_parts(
            &self.category,
            &self.splits,
            &before.category,
            before.splits.as_deref(),
        );
        let input = MovementInput {
            amount: self
                .amount
                .clone()
                .unwrap_or_else(|| before.amount.to_string()),
            description: self
                .description
                .clone()
                .unwrap_or_else(|| before.description.clone()),
            category,
            occurred_on: Some(
                self.occurred_on
                    .clone()
                    .unwrap_or_else(|| before.occurred_on.to_string()),
            ),
            splits,
            tags: self.tags.clone().unwrap_or_else(|| before.tags.clone()),
        };
        let parsed = NewMovement::parse(&input, before.amount.currency(), now.date())?;
        Ok(Movement {
            amount: parsed.amount,
            description: parsed.description,
            category: parsed.category,
            occurred_on: parsed.occurred_on,
            splits: parsed.splits,
            tags: parsed.tags,
            updated_at: now,
            updated_by: by.clone(),
            ..before.clone()
        })
    }
}

/// A validated movement, ready to be stored on an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMovement {
    pub amount: Money,
    pub description: String,
    pub category: Option<String>,
    pub occurred_on: Date,
    pub splits: Option<Vec<Split>>,
    pub tags: Vec<String>,
}

impl NewMovement {
    /// Checks every field against the account's currency; reports all failures at once.
    ///
    /// A zero amount is refused: it changes nothing and is almost always a typo.
    pub fn parse(
        input: &MovementInput,
        currency: Currency,
        today: Date,
    ) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let amount = v.check(Money::parse_nonzero(input.amount.trim(), currency));
        let description = v.check(text("description", &input.description, DESCRIPTION_MAX));
        let category = v.check(match &input.category {
            Some(c) => text("category", c, CATEGORY_MAX).map(Some),
            None => Ok(None),
        });
        let occurred_on = v.check(match &input.occurred_on {
            Some(d) => parse_date("occurred_on", d),
            None => Ok(today),
        });
        let splits = v.check(match &input.splits {
            Some(_) if input.category.is_some() => Err(ValidationError::new(
                "category",
                "a split movement has no category of its own: each part has one",
            )),
            Some(parts) => parse_splits(parts, amount, currency).map(Some),
            None => Ok(None),
        });
        let tags = v.check(parse_tags(&input.tags));
        v.finish(|| {
            Some(Self {
                amount: amount?,
                description: description?,
                category: category?,
                occurred_on: occurred_on?,
                splits: splits?,
                tags: tags?,
            })
        })
    }
}

impl NewMovement {
    /// The movement to store on `account`, with a fresh id, recorded at `now`.
    pub fn into_movement(self, account: AccountId, now: OffsetDateTime, by: &UserRef) -> Movement {
        Movement {
            reconciled: false,
            id: MovementId::random(),
            account_id: account,
            amount: self.amount,
            description: self.description,
            category: self.category,
            occurred_on: self.occurred_on,
            transfer_id: None,
            schedule_id: None,
            created_at: now,
            updated_at: now,
            created_by: by.clone(),
            updated_by: by.clone(),
            splits: self.splits,
            tags: self.tags,
            rule_id: None,
        }
    }
}
