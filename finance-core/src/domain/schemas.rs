//! How the domain's wire forms look in the API's OpenAPI document (feature `openapi`).
//! Types with a textual form of their own (ids, amounts, codes) are strings there; the
//! records derive their schemas from their fields.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

use super::{
    AccountId, Currency, Cursor, Email, InvitationId, Money, MoneySum, MovementId,
    ReconciliationId, RuleId, ScheduleId, TransferId, UserId,
};

fn text(format: Option<KnownFormat>, description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(format.map(SchemaFormat::KnownFormat))
        .description(Some(description))
        .examples([serde_json::Value::from(example)])
        .into()
}

macro_rules! string_schema {
    ($ty:ty, $name:literal, $format:expr, $description:literal, $example:literal) => {
        impl utoipa::PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                text($format, $description, $example)
            }
        }

        impl utoipa::ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

const UUID: Option<KnownFormat> = Some(KnownFormat::Uuid);
#[path = "schemas_ids.rs"]
mod ids;

string_schema!(
    Money,
    "Amount",
    None,
    "A decimal string with exactly the currency's fraction digits (EUR 2, JPY 0, BHD 3); negative is an expense.",
    "-12.50"
);
string_schema!(
    MoneySum,
    "Sum",
    None,
    "A sum of balances, a decimal string with exactly the currency's fraction digits; it may exceed what one balance can hold.",
    "987.49"
);
string_schema!(Currency, "Currency", None, "An ISO 4217 code.", "EUR");
string_schema!(
    Email,
    "Email",
    Some(KnownFormat::Email),
    "Trimmed and lower-cased.",
    "ada@example.com"
);
string_schema!(
    Cursor,
    "Cursor",
    None,
    "Opaque: pass next_cursor back as cursor for the next page.",
    "323032362d31312d30312f3432"
);

// The schemas of the fields people send, one per rule, beside the check they describe:
// each states exactly what its parser accepts (the tests below hold the two together), so
// a client generated from the document sends nothing the server refuses for its shape.
// Rules across fields or against stored state (fraction digits of the account's currency,
// `from` after `to`, a balance's range) are the server's alone, and answer 422 or 409.

use utoipa::openapi::schema::{Object, SchemaType};

/// What `str::trim` removes and is not a control character, as a regex class body.
const SPACE: &str = r" \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000";
/// What free text must not hold: control characters and line or paragraph separators.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f\u2028\u2029";

/// One line of text with something besides spaces (see [`super::text`]).
pub fn text_pattern() -> String {
    format!("^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$")
}

/// One line of text, blank allowed (a search).
pub fn search_pattern() -> String {
    format!("^[^{CONTROL}]*$")
}

/// A decimal amount: an optional `-`, digits, and optionally `.` and digits.
pub const AMOUNT_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";
/// An amount that is not zero.
pub const NONZERO_AMOUNT_PATTERN: &str =
    r"^-?([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)$";
/// An amount above zero (a rate too).
pub const POSITIVE_AMOUNT_PATTERN: &str =
    r"^([0-9]*[1-9][0-9]*(\.[0-9]+)?|[0-9]+\.[0-9]*[1-9][0-9]*)$";
/// A bound of an amount search: up to 20 digits, then up to 4 fraction digits.
pub const BOUND_PATTERN: &str = r"^-?[0-9]{1,20}(\.[0-9]{1,4})?$";
/// A date `YYYY-MM-DD` from year 1000 (with `format: date` ruling out February 30).
pub const DATE_PATTERN: &str = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// A month `YYYY-MM`.
pub const MONTH_PATTERN: &str = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$";
/// A UUID in its hyphenated form, the only one ids are read in.
pub const UUID_PATTERN: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
/// A sign-in code: six digits.
pub const CODE_PATTERN: &str = r"^[0-9]{6}$";
pub use super::cursor_patterns::*;

const AMOUNT: &str = "A decimal string with at most the currency's fraction digits (EUR 2, \
     JPY 0, BHD 3), within its range";
const EVERY: [&str; 4] = ["day", "week", "month", "year"];

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn patterned(pattern: &str, description: &str, example: &str) -> ObjectBuilder {
    string()
        .pattern(Some(pattern))
        .description(Some(description))
        .examples([serde_json::Value::from(example)])
}

/// One line of free text, at most `max` characters as sent, not blank.
fn one_line(max: usize, example: &str) -> ObjectBuilder {
    string()
        .pattern(Some(text_pattern()))
        .min_length(Some(1))
        .max_length(Some(max))
        .examples([example])
}

/// Every code [`super::Currency::parse`] knows, with an example.
fn known_currency(example: &str) -> ObjectBuilder {
    string()
        .enum_values(Some(super::Currency::all().map(|c| c.code().to_string())))
        .description(Some("An ISO 4217 code"))
        .examples([example])
}

fn date_builder() -> ObjectBuilder {
    patterned(DATE_PATTERN, "A date, YYYY-MM-DD", "2026-11-30")
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

fn integer(max: u32, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(max))
        .description(Some(description))
}

/// The schema that also takes `null` (a field that is optional, or cleared by `null`).
fn nullable(schema: ObjectBuilder) -> Object {
    let mut object = schema.build();
    let kind = match &object.schema_type {
        SchemaType::Type(t) => t.clone(),
        _ => Type::String,
    };
    object.schema_type = SchemaType::from_iter([kind, Type::Null]);
    if let Some(values) = object.enum_values.as_mut() {
        values.push(serde_json::Value::Null);
    }
    object
}

/// Each rule as a schema, and with `null` allowed (`optional_…`), for `schema_with`.
macro_rules! field_schemas {
    ($($(#[$doc:meta])* $name:ident, $optional:ident = $builder:expr;)*) => {$(
        $(#[$doc])*
        pub fn $name() -> Object {
            $builder.build()
        }
        $(#[$doc])*
        pub fn $optional() -> Object {
            nullable($builder)
        }
    )*};
}

field_schemas! {
    /// An account's name.
    name, optional_name = one_line(super::ACCOUNT_NAME_MAX, "Checking");
    /// A movement's or schedule's description.
    description, optional_description = one_line(super::DESCRIPTION_MAX, "Groceries");
    /// A category.
    category, optional_category = one_line(super::CATEGORY_MAX, "food");
    /// Free text to search for; blank is no search.
    search, optional_search = string()
        .pattern(Some(search_pattern()))
        .max_length(Some(super::DESCRIPTION_MAX))
        .description(Some("Text the description contains, in any case"));
    /// A known ISO 4217 code.
    currency, optional_currency = known_currency("EUR");
    /// The other currency of a pair.
    quote_currency, optional_quote_currency = known_currency("USD");
    /// Any amount (a bound of a search).
    amount, optional_amount = patterned(AMOUNT_PATTERN, AMOUNT, "-12.50");
    /// A bound of an amount search (compared in each account's currency).
    bound, optional_bound = patterned(BOUND_PATTERN, "An amount bound, inclusive", "-12.50");
    /// A movement's amount: negative is an expense.
    nonzero_amount, optional_nonzero_amount = patterned(
        NONZERO_AMOUNT_PATTERN, &format!("{AMOUNT}; not zero: negative is an expense"), "-12");
    /// A transfer's or budget's amount.
    positive_amount, optional_positive_amount = patterned(
        POSITIVE_AMOUNT_PATTERN, &format!("{AMOUNT}; above zero"), "250");
    /// An exchange rate.
    rate, optional_rate = patterned(
        POSITIVE_AMOUNT_PATTERN,
        "A positive decimal string with at most 12 significant digits: 1 base = rate quote",
        "1.0842");
    /// A date.
    date, optional_date = date_builder();
    /// A month.
    month, optional_month = patterned(MONTH_PATTERN, "A month, YYYY-MM", "2026-11");
    /// An id.
    uuid, optional_uuid = patterned(UUID_PATTERN, "An id", "5d9c1e0a-8f3b-4c2e-9a7d-1b2c3d4e5f60")
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
    /// An email address.
    email, optional_email = string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(super::email::MAX_LEN))
        .examples(["ada@example.com"]);
    /// A sign-in code.
    code, optional_code = patterned(CODE_PATTERN, "The 6-digit code from the mail", "042917");
    /// How often a schedule books.
    every, optional_every = string().enum_values(Some(EVERY));
    /// The role an invitation offers.
    invited_role, optional_invited_role = string().enum_values(Some(["editor", "viewer"]));
    /// The period of a report.
    step, optional_step = string().enum_values(Some(["month", "week", "day"]));
    /// Every how many `every`s a schedule books.
    interval, optional_interval = integer(super::MAX_INTERVAL, "Every how many `every`s; 1 when absent");
    /// A page size.
    limit, optional_limit = integer(u32::from(super::MAX_LIMIT), "1 to 200, default 50");
    /// A page size of the change feed.
    changes_limit, optional_changes_limit = integer(u32::from(super::MAX_LIMIT), "1 to 200, default 100");
    /// Where a movements listing goes on.
    movement_cursor, optional_movement_cursor = patterned(
        MOVEMENT_CURSOR_PATTERN, "next_cursor of the previous page", "323032362d31312d30312f3432");
    /// Where a history listing goes on.
    history_cursor, optional_history_cursor = patterned(
        HISTORY_CURSOR_PATTERN, "next_cursor of the previous page", "42");
    /// Where a change-feed reader goes on.
    changes_cursor, optional_changes_cursor = patterned(
        CHANGES_CURSOR_PATTERN, "next of the previous page", "7345.120");
    /// Where a rates listing goes on.
    rate_cursor, optional_rate_cursor = patterned(
        RATE_CURSOR_PATTERN, "next_cursor of the previous page",
        "323032362d31312d30312f4555522f555344");
}

/// A tag as sent: ASCII letters (lower-cased when read), digits, `-`, `_`.
pub const TAG_PATTERN: &str = "^[A-Za-z0-9_-]{1,32}$";

/// One tag.
pub fn tag() -> Object {
    patterned(
        TAG_PATTERN,
        "1 to 32 letters, digits, '-' or '_'; lower-cased",
        "trip",
    )
    .build()
}

/// A movement's tags, or a rule's tags to add.
pub fn tag_list() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(tag())
        .max_items(Some(super::MAX_TAGS))
        .description(Some("At most 10 tags; repeats count once"))
        .build()
}

/// A movement's parts, or `null`: at least two, summing exactly to its amount.
pub fn optional_split_list() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
            "SplitInput",
        )))
        .min_items(Some(2))
        .max_items(Some(super::MAX_PARTS))
        .description(Some(
            "At least two parts, each non-zero, summing exactly to the amount; null: not split",
        ))
        // Its own example, summing to the amounts' example (-12), so that one is not made
        // of its parts' examples (-12 each, which would not).
        .examples([serde_json::json!([
            {"amount": "-7", "category": "food"},
            {"amount": "-5", "category": "household"}
        ])])
        .build()
}

/// A rule's name.
pub fn rule_name() -> Object {
    one_line(super::rule::RULE_NAME_MAX, "Supermarket").build()
}

/// A rule's name, in a change.
pub fn optional_rule_name() -> Object {
    nullable(one_line(super::rule::RULE_NAME_MAX, "Supermarket"))
}

/// A rule's place in order.
pub fn optional_position() -> Object {
    nullable(
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(u32::MAX))
            .description(Some("From 1; absent or past the end: last")),
    )
}

/// A regular expression (Rust `regex` syntax).
pub fn optional_pattern() -> Object {
    nullable(
        string()
            .min_length(Some(1))
            .max_length(Some(super::rule::PATTERN_MAX))
            .description(Some(
                "A regular expression in Rust regex syntax (linear time: no look-around or \
                 back-references); case-sensitive unless it starts with (?i)",
            ))
            .examples(["^REWE"]),
    )
}

#[cfg(test)]
#[path = "schemas_tests.rs"]
mod tests;

/// A webhook's URL: `http` or `https`, a host without credentials. (Whether the host is a
/// public address is known only by resolving it: a private one is answered 422.)
pub fn webhook_url() -> Object {
    patterned(
        r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.\-\[\]:]+(/[!-~]*)?\s*$",
        "http(s) URL of a public address; at most 2000 characters",
        "https://example.com/finance-hook",
    )
    .max_length(Some(2000))
    .build()
}

/// The events a webhook listens to: their names, or `"*"` for all (the default).
pub fn webhook_events() -> utoipa::openapi::schema::Array {
    let names: Vec<&str> = std::iter::once("*")
        .chain(super::EventType::ALL.iter().map(|e| e.name()))
        .collect();
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            string()
                .enum_values(Some(names))
                .description(Some("An event type, or \"*\" for every one")),
        )
        .description(Some("Event types; empty or [\"*\"]: all of them"))
        .examples([serde_json::json!(["movement.created", "budget.exceeded"])])
        .build()
}
