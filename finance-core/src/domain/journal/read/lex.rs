//! The pieces both syntaxes share: exact decimals, amounts with their commodity, dates,
//! and the tags of a comment.

use time::{Date, Month};

/// An exact decimal: `units / 10^scale`. Journal numbers are never rounded on the way in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    pub units: i128,
    pub scale: u32,
}

/// Past this many fraction digits a number is not money.
const MAX_SCALE: u32 = 18;

impl Dec {
    pub const ZERO: Dec = Dec { units: 0, scale: 0 };

    /// `-1,234.50`, `+3`, `.5`: an optional sign, digits with `,` between groups, and a
    /// `.` before the fraction.
    pub fn parse(raw: &str) -> Option<Dec> {
        let (negative, digits) = match raw.as_bytes().first()? {
            b'-' => (true, &raw[1..]),
            b'+' => (false, &raw[1..]),
            _ => (false, raw),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let int: String = int.chars().filter(|c| *c != ',').collect();
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > MAX_SCALE as usize
            || digits.starts_with(',')
        {
            return None;
        }
        let mut units: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            units = units.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        Some(Dec {
            units: if negative { -units } else { units },
            scale: frac.len() as u32,
        })
    }

    fn rescaled(self, scale: u32) -> Option<i128> {
        self.units
            .checked_mul(10i128.checked_pow(scale - self.scale)?)
    }

    pub fn add(self, other: Dec) -> Option<Dec> {
        let scale = self.scale.max(other.scale);
        Some(Dec {
            units: self.rescaled(scale)?.checked_add(other.rescaled(scale)?)?,
            scale,
        })
    }

    pub fn neg(self) -> Dec {
        Dec {
            units: -self.units,
            scale: self.scale,
        }
    }

    pub fn mul(self, other: Dec) -> Option<Dec> {
        let scale = self.scale + other.scale;
        (scale <= 2 * MAX_SCALE).then_some(())?;
        Some(Dec {
            units: self.units.checked_mul(other.units)?,
            scale,
        })
    }

    pub fn is_zero(self) -> bool {
        self.units == 0
    }

    pub fn is_negative(self) -> bool {
        self.units < 0
    }

    /// The value in minor units of a currency with `exponent` digits, when it is exactly
    /// one (trailing zeros past the digits are fine, anything else is not).
    pub fn to_minor(self, exponent: u8) -> Option<i64> {
        let exponent = u32::from(exponent);
        let units = if self.scale <= exponent {
            self.rescaled(exponent)?
        } else {
            let div = 10i128.checked_pow(self.scale - exponent)?;
            (self.units % div == 0).then_some(self.units / div)?
        };
        i64::try_from(units).ok()
    }
}

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        let sign = if self.is_negative() { "-" } else { "" };
        if frac.is_empty() {
            write!(f, "{sign}{int}")
        } else {
            write!(f, "{sign}{int}.{frac}")
        }
    }
}

/// A number and its commodity, as written (`-12.50 EUR`, `$5`, `EUR -3`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub value: Dec,
    pub commodity: String,
}

/// A posting's price: per unit (`@`) or in total (`@@`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Price {
    Unit(Amount),
    Total(Amount),
}

/// Reads an amount, the commodity on either side of the number.
pub fn amount(raw: &str) -> Result<Amount, String> {
    let raw = raw.trim();
    let bad = || format!("{raw:?} is not an amount such as \"-12.50 EUR\"");
    let (sign, rest) = match raw.strip_prefix('-') {
        Some(r) => ("-", r.trim_start()),
        None => ("", raw.strip_prefix('+').unwrap_or(raw).trim_start()),
    };
    let numeric = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    let (number, commodity) = if rest.starts_with(numeric) {
        let end = rest.find(|c: char| !numeric(c)).unwrap_or(rest.len());
        (format!("{sign}{}", &rest[..end]), rest[end..].trim())
    } else {
        let (commodity, after) = match rest.strip_prefix('"') {
            Some(q) => q.split_once('"').ok_or_else(bad)?,
            None => {
                let end = rest
                    .find(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == ' ')
                    .unwrap_or(rest.len());
                rest.split_at(end)
            }
        };
        let after = after.trim_start();
        let (inner, after) = match after.strip_prefix('-') {
            Some(a) => ("-", a.trim_start()),
            None => ("", after.strip_prefix('+').unwrap_or(after).trim_start()),
        };
        let sign = if (sign == "-") != (inner == "-") {
            "-"
        } else {
            ""
        };
        if !after.chars().all(numeric) {
            return Err(bad());
        }
        (format!("{sign}{after}"), commodity)
    };
    let commodity = commodity.trim_matches('"');
    if commodity.is_empty() {
        return Err(format!(
            "{raw:?} has no commodity: write its currency (\"12.50 EUR\")"
        ));
    }
    let value = Dec::parse(&number).ok_or_else(bad)?;
    Ok(Amount {
        value,
        commodity: commodity.to_string(),
    })
}

/// What follows a posting's account.
#[derive(Debug, Default)]
pub struct PostingAmounts {
    pub units: Option<Amount>,
    pub price: Option<Price>,
    pub assertion: Option<Amount>,
}

/// What follows a posting's account: `AMOUNT [@ PRICE | @@ TOTAL] [= ASSERTION]`, each
/// part optional but the order.
pub fn posting_amounts(raw: &str) -> Result<PostingAmounts, String> {
    let (before, assertion) = match raw.split_once('=') {
        // `==`, `=*` and `==*` assert the same here: one commodity per account.
        Some((b, a)) => (b, Some(amount(a.trim_start_matches(['=', '*']))?)),
        None => (raw, None),
    };
    let (units, price) = match before.split_once('@') {
        Some((u, p)) => match p.strip_prefix('@') {
            Some(total) => (u, Some(Price::Total(amount(total)?))),
            None => (u, Some(Price::Unit(amount(p)?))),
        },
        None => (before, None),
    };
    let units = match units.trim() {
        "" => None,
        u => Some(amount(u)?),
    };
    if units.is_none() && price.is_some() {
        return Err("a price needs an amount before it".into());
    }
    Ok(PostingAmounts {
        units,
        price,
        assertion,
    })
}

/// `2026-01-31`, `2026/1/31` or `2026.01.31`.
pub fn date(raw: &str) -> Option<Date> {
    let sep = raw.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = raw.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// The `name:value` tags of an hledger or ledger comment (`id:…, trip:`), and ledger's
/// `:a:b:` tags (value-less).
pub fn comment_tags(comment: &str) -> Vec<(String, String)> {
    let comment = comment.trim();
    if let Some(inner) = comment
        .strip_prefix(':')
        .and_then(|c| c.strip_suffix(':'))
        .filter(|c| !c.contains(char::is_whitespace))
    {
        return inner
            .split(':')
            .filter(|t| !t.is_empty())
            .map(|t| (t.to_string(), String::new()))
            .collect();
    }
    let mut tags = Vec::new();
    let mut rest = comment;
    while let Some(colon) = rest.find(':') {
        let name = rest[..colon]
            .rsplit(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("");
        let after = &rest[colon + 1..];
        let end = after.find(',').unwrap_or(after.len());
        if !name.is_empty() {
            tags.push((name.to_string(), after[..end].trim().to_string()));
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_either_side() {
        let a = amount("-1,234.50 EUR").expect("after");
        assert_eq!((a.value.units, a.value.scale), (-123450, 2));
        assert_eq!(a.commodity, "EUR");
        let b = amount("$-5").expect("symbol");
        assert_eq!((b.value.units, b.commodity.as_str()), (-5, "$"));
        let c = amount("-EUR 3.5").expect("before");
        assert_eq!((c.value.units, c.value.scale), (-35, 1));
        let d = amount("7 \"USD\"").expect("quoted");
        assert_eq!(d.commodity, "USD");
        assert!(amount("12").is_err());
        assert!(amount("EUR abc").is_err());
        assert!(amount("1.2.3 EUR").is_err());
    }

    #[test]
    fn posting_parts() {
        let all = posting_amounts("-100 EUR @@ 110.00 USD = 0 EUR").expect("all");
        assert_eq!(all.units.expect("units").value.units, -100);
        assert!(matches!(all.price, Some(Price::Total(t)) if t.commodity == "USD"));
        assert!(all.assertion.expect("assert").value.is_zero());
        let none = posting_amounts("").expect("none");
        assert!(none.units.is_none() && none.price.is_none() && none.assertion.is_none());
    }

    #[test]
    fn decimals_print_as_read() {
        for raw in ["-0.05", "12", "1.0842", "0.000001"] {
            assert_eq!(Dec::parse(raw).expect("dec").to_string(), raw);
        }
    }

    #[test]
    fn exact_minor_units() {
        let d = Dec::parse("12.500").expect("dec");
        assert_eq!(d.to_minor(2), Some(1250));
        assert_eq!(Dec::parse("12.505").and_then(|d| d.to_minor(2)), None);
        assert_eq!(Dec::parse("7").and_then(|d| d.to_minor(3)), Some(7000));
    }

    #[test]
    fn tags_of_comments() {
        let t = comment_tags("id:abc, trip:, created_by:a@b.c");
        assert_eq!(t[1], ("trip".into(), String::new()));
        assert_eq!(t[0], ("id".into(), "abc".into()));
        let l = comment_tags(":food:work:");
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn dates() {
        assert!(date("2026/1/5").is_some());
        assert!(date("2026-02-30").is_none());
        assert!(date("26-02-03").is_none());
    }
}
