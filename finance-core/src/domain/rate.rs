//! Exchange rates: dated facts a user records (or imports), one per pair and day.

use std::fmt;

use time::Date;

use super::currency::Currency;
use super::entities::{parse_date, serialize_date};
use super::error::{ValidationError, Validator};
use super::money::Money;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRate {
    pub base: Currency,
    pub quote: Currency,
    #[serde(
        serialize_with = "serialize_date",
        deserialize_with = "crate::domain::fields::deserialize_date"
    )]
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
}
