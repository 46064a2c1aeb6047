//! Reading the API's answers back into the domain types the server wrote them from, so a
//! client (`finance-client`'s remote mode) has no wire types of its own.
//!
//! Most types derive `Deserialize` beside their `Serialize`. An amount is written without
//! its currency (`"-12.50"`), and reading it needs the currency's fraction digits, so a
//! type with amounts is read through a form whose amounts are text (`…In` below) and then
//! priced in the currency the same object names. A movement and a schedule name theirs
//! (`"currency"`) for that: their account's currency.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};

use super::{Currency, Cursor, Email, Money, MoneySum, Rate, RateCursor};

mod answers;
mod priced;
mod schedule;
mod written;

pub use answers::{CodeRequest, ProblemDetails, SignedIn, TokenRequest};
pub(crate) use priced::*;

/// Reads a value written as text with its own parser.
fn parsed<'de, D, T, E>(d: D, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: std::fmt::Display,
{
    let text = Cow::<'de, str>::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, Email::parse)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, Rate::parse)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, Cursor::decode)
    }
}

impl<'de> Deserialize<'de> for RateCursor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parsed(d, RateCursor::decode)
    }
}

/// An amount as written, in the currency `currency`.
pub(crate) fn money(text: &str, currency: Currency) -> Result<Money, String> {
    Money::parse(text, currency).map_err(|e| e.to_string())
}

/// A sum as written, in the currency `currency`.
pub(crate) fn sum(text: &str, currency: Currency) -> Result<MoneySum, String> {
    MoneySum::parse(text, currency).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
