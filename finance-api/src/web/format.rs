//! How the pages write amounts: the currency's own digits (the wire form), thousands
//! grouped, the code after; and dates in ISO form.

use std::fmt::Display;

use finance_core::domain::Currency;

/// `-1,234.50 EUR`, `100 JPY`, `0.125 BHD`.
pub fn money(amount: impl Display, currency: Currency) -> String {
    format!("{} {}", grouped(amount), currency.code())
}

/// The amount alone, thousands grouped: `-1,234.50`.
pub fn grouped(amount: impl Display) -> String {
    let plain = amount.to_string();
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::with_capacity(plain.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The CSS class of an amount: income, expense or nothing.
pub fn sign_class(minor: i128) -> &'static str {
    match minor.signum() {
        1 => "amount income",
        -1 => "amount expense",
        _ => "amount",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_and_digits_kept() {
        assert_eq!(grouped("-1234.50"), "-1,234.50");
        assert_eq!(grouped("100"), "100");
        assert_eq!(grouped("1234567"), "1,234,567");
        assert_eq!(grouped("0.125"), "0.125");
        assert_eq!(grouped("-999.99"), "-999.99");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(money("1500", jpy), "1,500 JPY");
    }
}
