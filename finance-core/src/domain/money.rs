use std::fmt;

use super::currency::Currency;
use super::error::ValidationError;

/// An amount of money: an integer count of minor units in one currency.
///
/// There is no floating point anywhere on this path: parsing reads digits into an `i64`,
/// formatting writes them back, and arithmetic is checked so that overflow is an error
/// instead of a wrapped or rounded number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Why two amounts could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("the result does not fit in the supported range")]
    Overflow,
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
}

impl Money {
    /// An amount of `minor` units (cents for EUR, yen for JPY).
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self::from_minor(0, currency)
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_zero(&self) -> bool {
        self.minor == 0
    }

    /// Parses a decimal string such as `"-12.50"` in `currency`.
    ///
    /// Accepted: an optional `-`, at least one digit, and optionally a `.` followed by
    /// 1..=exponent digits. More fraction digits than the currency has, a value outside
    /// `i64` minor units, or anything else is an error; nothing is ever rounded.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, ValidationError> {
        let minor = i64::try_from(parse_minor(text, currency)?)
            .map_err(|_| ValidationError::new("amount", format!("{text:?} is out of range")))?;
        Ok(Self { minor, currency })
    }

    /// [`Money::parse`], refusing zero: a movement, a part or a schedule moves something.
    pub fn parse_nonzero(text: &str, currency: Currency) -> Result<Self, ValidationError> {
        Self::parse(text, currency).and_then(|m| {
            if m.is_zero() {
                Err(ValidationError::new("amount", "must not be zero"))
            } else {
                Ok(m)
            }
        })
    }

    /// Adds two amounts of the same currency, failing on overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }

    /// Subtracts an amount of the same currency, failing on overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            minor,
            currency: self.currency,
        })
    }
}

impl fmt::Display for Money {
    /// The wire form: exactly the currency's fraction digits, `-` for negatives, no code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_minor(f, i128::from(self.minor), self.currency)
    }
}

/// Writes `minor` units of `currency` as a decimal string with exactly its fraction digits.
fn write_minor(f: &mut fmt::Formatter<'_>, minor: i128, currency: Currency) -> fmt::Result {
    let exp = u32::from(currency.exponent());
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return write!(f, "{sign}{abs}");
    }
    let scale = 10u128.pow(exp);
    write!(
        f,
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = exp as usize
    )
}

/// A sum of many amounts in one currency (a total over accounts), in `i128` minor units:
/// each balance fits in `i64`, but two large ones can add past it, and a total must still
/// be shown exactly rather than refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MoneySum {
    minor: i128,
    currency: Currency,
}

impl MoneySum {
    pub fn zero(currency: Currency) -> Self {
        Self { minor: 0, currency }
    }

    /// Adds one amount; amounts of another currency are a mismatch. Saturates instead of
    /// wrapping, though reaching `i128`'s range takes 2^64 balances at `i64`'s limit.
    pub fn plus(self, m: Money) -> Result<Self, MoneyError> {
        if m.currency != self.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, m.currency));
        }
        Ok(Self {
            minor: self.minor.saturating_add(i128::from(m.minor)),
            currency: self.currency,
        })
    }

    /// Adds `minor` units of this sum's currency (a converted balance), saturating as
    /// [`MoneySum::plus`] does.
    pub fn plus_minor(self, minor: i128) -> Self {
        Self {
            minor: self.minor.saturating_add(minor),
            currency: self.currency,
        }
    }

    pub fn minor(&self) -> i128 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Reads the wire form back, as [`Money::parse`] does but in the wider range.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, ValidationError> {
        Ok(Self {
            minor: parse_minor(text, currency)?,
            currency,
        })
    }
}

/// Reads a decimal string in `currency` as minor units: an optional `-`, at least one
/// digit, and optionally a `.` followed by 1..=exponent digits. More fraction digits than
/// the currency has, a value outside `i128`, or anything else is an error; nothing is
/// ever rounded.
fn parse_minor(text: &str, currency: Currency) -> Result<i128, ValidationError> {
    let invalid = |msg: String| ValidationError::new("amount", msg);
    let exp = usize::from(currency.exponent());
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return Err(invalid(format!(
            "{text:?} is not a decimal number such as \"-12.50\""
        )));
    }
    let frac = frac.unwrap_or("");
    if frac.len() > exp {
        return Err(invalid(format!(
            "{currency} allows at most {exp} fraction digits, got {}",
            frac.len()
        )));
    }
    // Accumulate as a negative number when negative so that the minimum parses too.
    let sign: i128 = if negative { -1 } else { 1 };
    let mut minor: i128 = 0;
    let padded = frac
        .bytes()
        .chain(std::iter::repeat_n(b'0', exp - frac.len()));
    for b in int.bytes().chain(padded) {
        minor = minor
            .checked_mul(10)
            .and_then(|m| m.checked_add(sign * i128::from(b - b'0')))
            .ok_or_else(|| invalid(format!("{text:?} is out of range")))?;
    }
    Ok(minor)
}

impl fmt::Display for MoneySum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_minor(f, self.minor, self.currency)
    }
}

impl fmt::Debug for MoneySum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self} {}", self.currency)
    }
}

impl serde::Serialize for MoneySum {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self} {}", self.currency)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sums_go_past_i64_exactly_and_read_back() {
        let eur = cur("EUR");
        let sum = MoneySum::zero(eur)
            .plus(Money::from_minor(i64::MAX, eur))
            .and_then(|s| s.plus(Money::from_minor(i64::MAX, eur)))
            .expect("same currency");
        assert_eq!(sum.to_string(), "184467440737095516.14");
        assert_eq!(MoneySum::parse(&sum.to_string(), eur), Ok(sum));
        let low = MoneySum::zero(cur("JPY"))
            .plus(Money::from_minor(i64::MIN, cur("JPY")))
            .and_then(|s| s.plus(Money::from_minor(-1, cur("JPY"))))
            .expect("same currency");
        assert_eq!(low.to_string(), "-9223372036854775809");
        assert!(MoneySum::zero(eur).plus(Money::zero(cur("USD"))).is_err());
        for bad in ["", "1.", ".5", "1.234", "1e3", "--1", "x"] {
            assert!(MoneySum::parse(bad, eur).is_err(), "{bad}");
        }
    }

    fn cur(code: &str) -> Currency {
        Currency::parse(code).expect("known currency")
    }

    #[test]
    fn parses_and_formats_per_exponent() {
        let cases = [
            ("EUR", "-12.50", -1250, "-12.50"),
            ("EUR", "12.5", 1250, "12.50"),
            ("EUR", "7", 700, "7.00"),
            ("EUR", "0.01", 1, "0.01"),
            ("EUR", "-0.09", -9, "-0.09"),
            ("JPY", "100", 100, "100"),
            ("BHD", "1.234", 1234, "1.234"),
            ("BHD", "-0.5", -500, "-0.500"),
        ];
        for (code, text, minor, shown) in cases {
            let m = Money::parse(text, cur(code)).expect(text);
            assert_eq!(m.minor(), minor, "{text}");
            assert_eq!(m.to_string(), shown, "{text}");
        }
    }

    #[test]
    fn rejects_malformed_and_over_precise() {
        let bad = [
            ("EUR", "1.234"),
            ("JPY", "1.0"),
            ("EUR", ""),
            ("EUR", "-"),
            ("EUR", "1."),
            (".5", ".5"),
            ("EUR", "1,50"),
            ("EUR", "+1"),
            ("EUR", " 1"),
            ("EUR", "1e3"),
            ("EUR", "--1"),
            ("EUR", "NaN"),
            ("EUR", "١٢"),
            ("EUR", "92233720368547758.08"),
            ("JPY", "9223372036854775808"),
            ("JPY", "-9223372036854775809"),
        ];
        for (code, text) in bad {
            let c = Currency::parse(code).unwrap_or(cur("EUR"));
            let err = Money::parse(text, c).expect_err(text);
            assert_eq!(err.errors[0].field, "amount");
        }
    }

    #[test]
    fn extremes_round_trip() {
        for minor in [i64::MIN, i64::MAX, 0, -1, 1] {
            for c in ["EUR", "JPY", "BHD", "CLF"] {
                let m = Money::from_minor(minor, cur(c));
                assert_eq!(Money::parse(&m.to_string(), cur(c)), Ok(m));
            }
        }
    }

    #[test]
    fn checked_add_reports_overflow_and_mismatch() {
        let eur = cur("EUR");
        let max = Money::from_minor(i64::MAX, eur);
        assert_eq!(
            max.checked_add(Money::from_minor(1, eur)),
            Err(MoneyError::Overflow)
        );
        let jpy = Money::from_minor(1, cur("JPY"));
        assert!(matches!(
            max.checked_add(jpy),
            Err(MoneyError::CurrencyMismatch(..))
        ));
        let sum = Money::from_minor(-5, eur).checked_add(Money::from_minor(7, eur));
        assert_eq!(sum.map(|m| m.minor()), Ok(2));
    }

    fn any_currency() -> impl Strategy<Value = Currency> {
        let all: Vec<Currency> = Currency::all().collect();
        proptest::sample::select(all)
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(minor in any::<i64>(), c in any_currency()) {
            let m = Money::from_minor(minor, c);
            let text = m.to_string();
            prop_assert_eq!(Money::parse(&text, c), Ok(m));
            // Exactly the currency's fraction digits, never more or fewer.
            let digits = text.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(digits, usize::from(c.exponent()));
        }

        #[test]
        fn too_many_fraction_digits_never_parse(int in 0u32..1_000_000, extra in 1usize..4, c in any_currency()) {
            let frac = "1".repeat(usize::from(c.exponent()) + extra);
            let text = format!("{int}.{frac}");
            prop_assert!(Money::parse(&text, c).is_err());
        }

        #[test]
        fn arbitrary_text_parses_only_to_its_own_value(text in "\\PC{0,24}", c in any_currency()) {
            if let Ok(m) = Money::parse(&text, c) {
                // Whatever parses must mean exactly what it says: re-parsing the canonical
                // form gives the same value, and the text was a plain decimal.
                prop_assert_eq!(Money::parse(&m.to_string(), c), Ok(m));
                prop_assert!(text.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit() || b == b'.'));
            }
        }
    }
}
