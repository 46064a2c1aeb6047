//! Rules: what a user says once ("REWE is groceries") so that movements are categorised,
//! renamed and tagged as they are recorded. A rule is a few conditions and a few actions;
//! [`RuleBook`] tries a user's rules in order (see `matching`).

mod matching;

use time::OffsetDateTime;

pub use matching::{Candidate, RuleBook, compile_pattern};

use super::bound::AmountBound;
use super::currency::Currency;
use super::entities::{AccountId, CATEGORY_MAX, DESCRIPTION_MAX, RuleId, UserId};
use super::error::{ValidationError, Validator, text};
use super::movement::Movement;
use super::tags::parse_tags;

/// Longest rule name, in characters.
pub const RULE_NAME_MAX: usize = 100;
/// Longest `description_matches` pattern, in characters.
pub const PATTERN_MAX: usize = 200;
/// How many movements a preview shows at most.
pub const PREVIEW_MAX: usize = 200;

/// When a rule applies: every condition present must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conditions {
    /// Text the description contains, in any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_description))]
    pub description_contains: Option<String>,
    /// A regular expression the description matches (Rust `regex` syntax: linear time,
    /// no look-around or back-references; case-sensitive unless it starts with `(?i)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_pattern))]
    pub description_matches: Option<String>,
    /// Least amount, inclusive, compared in the account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_bound))]
    pub amount_min: Option<String>,
    /// Greatest amount, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_bound))]
    pub amount_max: Option<String>,
    /// The account's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_uuid))]
    pub account: Option<String>,
    /// The account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_currency))]
    pub currency: Option<String>,
}

/// What a rule does to a movement it applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actions {
    /// Set when the movement has none (and is not split).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_category))]
    pub category: Option<String>,
    /// Added to the movement's tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::tag_list))]
    pub add_tags: Vec<String>,
    /// The description, rewritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_description))]
    pub description: Option<String>,
}

/// A user's rule, checked: its conditions and actions as they were accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rule {
    pub id: RuleId,
    /// Not on the wire: rules are the reader's own.
    #[serde(skip_serializing, default = "nobody")]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub owner_id: UserId,
    pub name: String,
    /// Its place among the user's rules, from 1: rules are tried in this order.
    pub position: u32,
    pub when: Conditions,
    pub then: Actions,
    /// How many movements record this rule as the one that changed them.
    pub applied: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

fn nobody() -> UserId {
    UserId(uuid::Uuid::nil())
}

/// A user's rules, in position order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleList {
    pub items: Vec<Rule>,
}

/// A new rule as sent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::rule_name))]
    pub name: String,
    /// Where it goes among the user's rules, from 1; absent or past the end: last.
    #[serde(default, deserialize_with = "super::fields::optional_whole_number")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_position))]
    pub position: Option<u32>,
    pub when: Conditions,
    pub then: Actions,
}

/// A change to a rule: what is sent replaces what was (`when` and `then` whole).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_rule_name))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::fields::optional_whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_position))]
    pub position: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Conditions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<Actions>,
}

/// How an apply treats movements that have a category already.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplyInput {
    /// Replace categories that are set already (false: only set missing ones).
    #[serde(default)]
    pub overwrite: bool,
}

/// What an apply changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applied {
    pub changed: u64,
}

/// A movement a rule would change, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleChange {
    /// As it is.
    pub movement: Movement,
    /// As the rule would leave it.
    pub after: Movement,
}

/// What a rule would change: the first [`PREVIEW_MAX`] movements, newest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulePreview {
    pub items: Vec<RuleChange>,
}

/// Checks a rule's name, conditions and actions; all failures at once, each under its
/// field (`when.description_matches`). An `account` condition is checked for form here
/// and for existence by the use case.
pub fn check_rule(
    name: &str,
    when: &Conditions,
    then: &Actions,
) -> Result<(String, Conditions, Actions), ValidationError> {
    let mut v = Validator::new();
    let name = v.check(text("name", name, RULE_NAME_MAX));
    let when = v.check(check_conditions(when));
    let then = v.check(check_actions(then));
    v.finish(|| Some((name?, when?, then?)))
}

fn check_conditions(when: &Conditions) -> Result<Conditions, ValidationError> {
    let mut v = Validator::new();
    let contains = v.check(
        when.description_contains
            .as_deref()
            .map(|t| text("when.description_contains", t, DESCRIPTION_MAX))
            .transpose(),
    );
    let matches = v.check(
        when.description_matches
            .as_deref()
            .map(|p| compile_pattern("when.description_matches", p).map(|_| p.to_string()))
            .transpose(),
    );
    let min = v.check(
        when.amount_min
            .as_deref()
            .map(|a| AmountBound::parse("when.amount_min", a))
            .transpose(),
    );
    let max = v.check(
        when.amount_max
            .as_deref()
            .map(|a| AmountBound::parse("when.amount_max", a))
            .transpose(),
    );
    if let (Some(Some(lo)), Some(Some(hi))) = (min, max)
        && lo > hi
    {
        v.check::<()>(Err(ValidationError::new(
            "when.amount_max",
            "must not be below amount_min",
        )));
    }
    let account = v.check(
        when.account
            .as_deref()
            .map(|a| AccountId::parse("when.account", a).map(|id| id.to_string()))
            .transpose(),
    );
    let currency = v.check(
        when.currency
            .as_deref()
            .map(|c| {
                Currency::parse(c)
                    .map(|c| c.code().to_string())
                    .map_err(|e| e.for_field("when.currency"))
            })
            .transpose(),
    );
    let checked = v.finish(|| {
        Some(Conditions {
            description_contains: contains?,
            description_matches: matches?,
            amount_min: when.amount_min.as_ref().map(|a| a.trim().to_string()),
            amount_max: when.amount_max.as_ref().map(|a| a.trim().to_string()),
            account: account?,
            currency: currency?,
        })
    })?;
    if checked == Conditions::default() {
        return Err(ValidationError::new(
            "when",
            "a rule needs at least one condition",
        ));
    }
    Ok(checked)
}

fn check_actions(then: &Actions) -> Result<Actions, ValidationError> {
    let mut v = Validator::new();
    let category = v.check(
        then.category
            .as_deref()
            .map(|c| text("then.category", c, CATEGORY_MAX))
            .transpose(),
    );
    let tags = v.check(parse_tags(&then.add_tags).map_err(|e| {
        let mut e = e;
        for f in &mut e.errors {
            f.field = f.field.replacen("tags", "then.add_tags", 1);
        }
        e
    }));
    let description = v.check(
        then.description
            .as_deref()
            .map(|d| text("then.description", d, DESCRIPTION_MAX))
            .transpose(),
    );
    let checked = v.finish(|| {
        Some(Actions {
            category: category?,
            add_tags: tags?,
            description: description?,
        })
    })?;
    if checked == Actions::default() {
        return Err(ValidationError::new(
            "then",
            "a rule needs at least one action",
        ));
    }
    Ok(checked)
}

#[cfg(test)]
mod tests;
