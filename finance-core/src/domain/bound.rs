//! An amount a listing is filtered by (`min`, `max`): an exact decimal, compared with each
//! account's amounts in that account's currency.

use super::currency::Currency;
use super::error::ValidationError;

/// The most fraction digits a bound may have: the largest minor unit of any currency.
const MAX_FRACTION_DIGITS: usize = 4;

/// A signed decimal `units / 10^4`, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AmountBound {
    units: i128,
    /// Fraction digits as written, so a bound finer than a currency can be refused.
    digits: u8,
}

impl AmountBound {
    /// Reads `"-12.50"`-style text for the query parameter `field`.
    pub fn parse(field: &str, text: &str) -> Result<Self, ValidationError> {
        let invalid = || {
            ValidationError::new(
                field,
                format!("{text:?} is not an amount such as \"-12.50\""),
            )
        };
        let t = text.trim();
        let (negative, rest) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || (rest.contains('.') && !digits(frac)) || int.len() > 20 {
            return Err(invalid());
        }
        if frac.len() > MAX_FRACTION_DIGITS {
            return Err(ValidationError::new(
                field,
                format!("{text:?} has more than {MAX_FRACTION_DIGITS} fraction digits"),
            ));
        }
        let padded = format!("{int}{frac:0<width$}", width = MAX_FRACTION_DIGITS);
        let units: i128 = padded.parse().map_err(|_| invalid())?;
        Ok(Self {
            units: if negative { -units } else { units },
            digits: frac.len() as u8,
        })
    }

    /// Whether `currency` can hold this amount exactly (its minor unit is fine enough).
    pub fn fits(&self, currency: Currency) -> bool {
        self.digits <= currency.exponent()
    }

    /// The least minor amount of an exponent-`exp` currency that is at least this bound
    /// (`up`), or the greatest that is at most it; an amount beyond `i64` saturates.
    pub fn minor(&self, exp: u8, up: bool) -> i64 {
        let scale = 10i128.pow(u32::from(MAX_FRACTION_DIGITS as u8 - exp.min(4)));
        let q = self.units.div_euclid(scale);
        let exact = self.units.rem_euclid(scale) == 0;
        let v = if up && !exact { q + 1 } else { q };
        i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_compare_exactly_in_each_currency() {
        let b = AmountBound::parse("min", "10.5").expect("valid");
        assert_eq!(
            (b.minor(2, true), b.minor(0, true), b.minor(0, false)),
            (1050, 11, 10)
        );
        let n = AmountBound::parse("max", "-0.005").expect("valid");
        assert_eq!(
            (n.minor(2, false), n.minor(2, true), n.minor(3, true)),
            (-1, 0, -5)
        );
        assert!(!n.fits(Currency::parse("EUR").expect("EUR")));
        assert!(n.fits(Currency::parse("BHD").expect("BHD")));
        assert!(AmountBound::parse("min", "3").expect("3") < b);
        for bad in [
            "", "abc", "1.2.3", "1,5", ".5", "5.", "--1", "1e3", "0.00001",
        ] {
            let e = AmountBound::parse("min", bad).expect_err(bad);
            assert_eq!(e.errors[0].field, "min");
        }
    }
}
