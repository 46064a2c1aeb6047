//! How the domain's wire forms look in the API's OpenAPI document (feature `openapi`).
//! Types with a textual form of their own (ids, amounts, codes) are strings there; the
//! records derive their schemas from their fields.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

use super::{
    AccountId, Currency, Cursor, Email, Money, MoneySum, MovementId, ScheduleId, TransferId, UserId,
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

string_schema!(
    UserId,
    "UserId",
    UUID,
    "A user's id.",
    "0b6f1c54-3c5e-4a53-9d0e-6f1f2d1c9a77"
);
string_schema!(
    AccountId,
    "AccountId",
    UUID,
    "An account's id.",
    "5d9c1e0a-8f3b-4c2e-9a7d-1b2c3d4e5f60"
);
string_schema!(
    MovementId,
    "MovementId",
    UUID,
    "A movement's id.",
    "7a1b2c3d-4e5f-4061-8a9b-0c1d2e3f4a5b"
);
string_schema!(
    TransferId,
    "TransferId",
    UUID,
    "A transfer's id.",
    "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
);
string_schema!(
    ScheduleId,
    "ScheduleId",
    UUID,
    "A schedule's id.",
    "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f70"
);
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
