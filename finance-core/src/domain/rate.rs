//! Exchange rates: dated facts a user records (or imports), one per pair and day.

use std::fmt;

use time::Date;

use super::currency::Currency;
use super::entities::{parse_date, serialize_date};
use super::error::{ValidationError, Validator};
use super::money::Money;
use super::page::{Position, day_position, invalid_cursor, parse_limit, unhex_cursor};

/// The most significant digits a rate may have (the ECB publishes 5 or 6).
pub const MAX_SIGNIFICANT_DIGITS: u32 = 12;

/// The most fraction digits a rate may have: enough for 12 significant digits of the
/// smallest real rate (a dinar per rupiah is about 0.00002), small enough that every
/// conversion fits the arithmetic of [`super::Factor`].
const MAX_FRACTION_DIGITS: usize = 24;

/// A positive exchange rate exactly as written: `mantissa / 10^scale` (1.0842 is 10842 and
/// 4). No floating point: a rate is a scaled integer, so conversions are exact.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    mantissa: u64,
    scale: u8,
}

impl Rate {
    /// Reads a positive decimal such as `"1.0842"` or `"163.12"`: digits, at most one
    /// `.`, at most 12 significant digits. Trailing fraction zeros are dropped (`"1.50"`
    /// is `1.5`); a sign, an exponent, zero or anything else is refused.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let invalid = |msg: String| ValidationError::new("rate", msg);
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !digits(int)
            || !digits(frac)
            || (text.contains('.') && frac.is_empty())
        {
            return Err(invalid(format!(
                "{text:?} is not a positive decimal number such as \"1.0842\""
            )));
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > MAX_FRACTION_DIGITS {
            return Err(invalid(format!(
                "{text:?} has more than {MAX_FRACTION_DIGITS} fraction digits"
            )));
        }
        let all = format!("{int}{frac}");
        let significant = all.trim_start_matches('0');
        if significant.is_empty() {
            return Err(invalid(format!("{text:?} is not positive")));
        }
        if significant.len() > MAX_SIGNIFICANT_DIGITS as usize {
            return Err(invalid(format!(
                "{text:?} has more than {MAX_SIGNIFICANT_DIGITS} significant digits"
            )));
        }
        let mantissa = significant
            .parse::<u64>()
            .map_err(|_| invalid(format!("{text:?} is out of range")))?;
        Ok(Self {
            mantissa,
            // At most MAX_FRACTION_DIGITS, checked above.
            scale: u8::try_from(frac.len()).unwrap_or(u8::MAX),
        })
    }

    /// The integer the rate is a scaled form of.
    pub fn mantissa(&self) -> u64 {
        self.mantissa
    }

    /// How many places the mantissa's point moves left.
    pub fn scale(&self) -> u8 {
        self.scale
    }
}

impl fmt::Display for Rate {
    /// The shortest exact form: `1.0842`, `163.12`, `0.00002`, `150`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.to_string();
        let scale = usize::from(self.scale);
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{int}.{frac}")
    }
}

impl fmt::Debug for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A dated fact: on `date`, 1 `base` was worth `rate` `quote`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRate {
    pub base: Currency,
    pub quote: Currency,
    #[serde(serialize_with = "serialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1.0842"))]
    pub rate: Rate,
}

impl ExchangeRate {
    /// Checks the three parts of a rate's address (`/rates/{base}/{quote}/{date}`).
    pub fn address(base: &str, quote: &str, date: &str) -> Result<RateAddress, ValidationError> {
        let mut v = Validator::new();
        let b = v.check(Currency::parse(base).map_err(|e| e.for_field("base")));
        let q = v.check(Currency::parse(quote).map_err(|e| e.for_field("quote")));
        let d = v.check(parse_date("date", date));
        if let (Some(b), Some(q)) = (b, q)
            && b == q
        {
            v.check::<()>(Err(ValidationError::new(
                "quote",
                "must differ from the base currency",
            )));
        }
        v.finish(|| {
            Some(RateAddress {
                base: b?,
                quote: q?,
                date: d?,
            })
        })
    }
}

/// Which rate: a pair of currencies on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateAddress {
    pub base: Currency,
    pub quote: Currency,
    pub date: Date,
}

/// The body of `PUT /rates/{base}/{quote}/{date}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateInput {
    /// A positive decimal string with at most 12 significant digits: 1 base = rate quote.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::rate))]
    pub rate: String,
}

/// The rate a cross-currency transfer implies on its date: what arrived over what left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpliedRate {
    /// Left the source account (positive, in its currency).
    pub paid: Money,
    /// Arrived on the target account (positive, in its currency).
    pub got: Money,
}

/// What a conversion on one day may use: per pair of currencies, the latest explicit rate
/// and the latest rate implied by a transfer, none dated after that day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateFacts {
    /// `(base, quote, rate)`.
    pub explicit: Vec<(Currency, Currency, Rate)>,
    pub implied: Vec<ImpliedRate>,
}

/// What an import did: rates new to the user, and rates that replaced one of the same
/// pair and day. Columns of currencies that no longer exist (the ECB file still carries
/// CYP, SIT, HRK…) are skipped and named.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatesImported {
    pub added: u64,
    pub updated: u64,
    /// Always present; the withdrawn currencies whose columns were left out.
    #[serde(default)]
    pub skipped_currencies: Vec<String>,
}

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatePage {
    pub items: Vec<ExchangeRate>,
    /// Always present; `null` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Option<String>))]
    pub next_cursor: Option<RateCursor>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn rates_parse_exactly_and_print_shortest() {
        for (text, mantissa, scale, shown) in [
            ("1.0842", 10842, 4, "1.0842"),
            ("163.12", 16312, 2, "163.12"),
            ("1.50", 15, 1, "1.5"),
            ("0.00002", 2, 5, "0.00002"),
            ("150", 150, 0, "150"),
            ("007.5", 75, 1, "7.5"),
            ("999999999999", 999_999_999_999, 0, "999999999999"),
            (
                "0.000000000000000000000001",
                1,
                24,
                "0.000000000000000000000001",
            ),
        ] {
            let r = Rate::parse(text).expect(text);
            assert_eq!((r.mantissa(), r.scale()), (mantissa, scale), "{text}");
            assert_eq!(r.to_string(), shown);
        }
    }

    #[test]
    fn rates_refuse_what_is_not_a_positive_decimal_of_12_digits() {
        for bad in [
            "",
            "0",
            "0.000",
            "-1.2",
            "+1.2",
            "1e3",
            "1,5",
            ".5",
            "5.",
            "1.2.3",
            " 1.2",
            "NaN",
            "1234567890123",
            "1.234567890123",
            "0.0000000000000000000000001",
        ] {
            let e = Rate::parse(bad).expect_err(bad);
            assert_eq!(e.errors[0].field, "rate");
        }
        // Leading zeros and trailing fraction zeros are not significant.
        assert!(Rate::parse("0.000123456789012").is_ok());
        assert!(Rate::parse("1.10000000000000000").is_ok());
    }

    #[test]
    fn addresses_name_each_bad_part() {
        let a = ExchangeRate::address("EUR", "USD", "2026-11-20").expect("valid");
        assert_eq!(a.date, date!(2026 - 11 - 20));
        let e = ExchangeRate::address("EUR", "EUR", "2026-11-20").expect_err("same");
        assert_eq!(e.errors[0].field, "quote");
        let e = ExchangeRate::address("eur", "XXX", "20-11-2026").expect_err("all bad");
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["base", "quote", "date"]);
    }

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
