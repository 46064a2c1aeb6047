//! Listing rates: the query, its pages and the cursor between them.

use time::Date;

use super::currency::Currency;
use super::entities::parse_date;
use super::error::{ValidationError, Validator};
use super::page::{Position, day_position, invalid_cursor, parse_limit, unhex_cursor};
use super::rate::ExchangeRate;

/// The query string of `GET /rates`, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct RateQueryInput {
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::currency))]
    pub base: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::currency))]
    pub quote: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub from: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub to: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::limit))]
    pub limit: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::rate_cursor))]
    pub cursor: Option<String>,
}

/// Where the next page of rates starts: the last rate of this page. Rates are listed
/// newest first, then by base and quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCursor {
    pub date: Date,
    pub base: CurrencyCode,
    pub quote: CurrencyCode,
}

/// A currency's place in the order of codes: three capital letters, known or not (a
/// cursor made by hand still names a place to go on from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrencyCode([u8; 3]);

impl CurrencyCode {
    /// Before every code, and after every one.
    const FIRST: CurrencyCode = CurrencyCode(*b"AAA");
    const LAST: CurrencyCode = CurrencyCode(*b"ZZZ");

    fn parse(text: &str) -> Option<CurrencyCode> {
        let b: [u8; 3] = text.as_bytes().try_into().ok()?;
        b.iter()
            .all(u8::is_ascii_uppercase)
            .then_some(CurrencyCode(b))
    }

    pub fn code(&self) -> &str {
        // Only capital letters get in (`parse`, `From<Currency>`).
        std::str::from_utf8(&self.0).unwrap_or("AAA")
    }
}

impl From<Currency> for CurrencyCode {
    fn from(c: Currency) -> Self {
        CurrencyCode::parse(c.code()).unwrap_or(CurrencyCode::FIRST)
    }
}

impl RateCursor {
    pub fn encode(&self) -> String {
        hex::encode(format!(
            "{}/{}/{}",
            self.date,
            self.base.code(),
            self.quote.code()
        ))
    }

    pub fn decode(raw: &str) -> Result<Self, ValidationError> {
        let invalid = invalid_cursor;
        let plain = unhex_cursor(raw, 64)?;
        let mut parts = plain.split('/');
        let (Some(d), Some(b), Some(q), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let (base, quote) = (
            CurrencyCode::parse(b).ok_or_else(invalid)?,
            CurrencyCode::parse(q).ok_or_else(invalid)?,
        );
        // Rates run newest day first, then by codes: just before a day is after that day's
        // last pair.
        Ok(match day_position(d).ok_or_else(invalid)? {
            Position::On(date) => Self { date, base, quote },
            Position::Before(date) => Self {
                date,
                base: CurrencyCode::LAST,
                quote: CurrencyCode::LAST,
            },
            Position::AfterAll => Self {
                date: Date::MAX,
                base: CurrencyCode::FIRST,
                quote: CurrencyCode::FIRST,
            },
        })
    }
}

impl serde::Serialize for RateCursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

/// A validated `GET /rates`: both dates inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateQuery {
    pub base: Option<Currency>,
    pub quote: Option<Currency>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub limit: u16,
    pub cursor: Option<RateCursor>,
}

impl RateQuery {
    pub fn parse(input: &RateQueryInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let currency = |field: &str, raw: &Option<String>| {
            raw.as_deref()
                .map(|c| Currency::parse(c.trim()).map_err(|e| e.for_field(field)))
                .transpose()
        };
        let base = v.check(currency("base", &input.base));
        let quote = v.check(currency("quote", &input.quote));
        let date = |field: &str, raw: &Option<String>| {
            raw.as_deref().map(|d| parse_date(field, d)).transpose()
        };
        let from = v.check(date("from", &input.from));
        let to = v.check(date("to", &input.to));
        if let (Some(Some(f)), Some(Some(t))) = (from, to)
            && f > t
        {
            v.check::<()>(Err(ValidationError::new("from", "must not be after `to`")));
        }
        let limit = v.check(parse_limit(input.limit.as_deref()));
        let cursor = v.check(input.cursor.as_deref().map(RateCursor::decode).transpose());
        v.finish(|| {
            Some(Self {
                base: base?,
                quote: quote?,
                from: from?,
                to: to?,
                limit: limit?,
                cursor: cursor?,
            })
        })
    }
}

/// One page of rates and where the next one starts, if there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatePage {
    pub items: Vec<ExchangeRate>,
    /// Always present; `null` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<String>))]
    pub next_cursor: Option<RateCursor>,
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn cursors_round_trip_and_queries_check_their_parameters() {
        let c = RateCursor {
            date: date!(2026 - 11 - 20),
            base: Currency::parse("EUR").expect("EUR").into(),
            quote: Currency::parse("USD").expect("USD").into(),
        };
        assert_eq!(RateCursor::decode(&c.encode()), Ok(c));
        assert!(RateCursor::decode("zz").is_err());
        let q = RateQuery::parse(&RateQueryInput {
            base: Some("EUR".into()),
            from: Some("2026-12-01".into()),
            to: Some("2026-11-01".into()),
            limit: Some("500".into()),
            ..Default::default()
        })
        .expect_err("bad");
        let fields: Vec<&str> = q.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "limit"]);
    }
}
