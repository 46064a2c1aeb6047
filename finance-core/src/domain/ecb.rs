//! The European Central Bank's reference-rate CSV (`eurofxref-hist.csv`): a header
//! `Date,USD,JPY,…`, then one line per day, newest first, each cell the euro's worth in
//! that column's currency, `N/A` where there was no fixing.

use std::collections::HashMap;

use time::Date;

use super::currency::Currency;
use super::entities::parse_date;
use super::error::{FieldError, ValidationError};
use super::rate::{ExchangeRate, Rate};

/// Currencies the ECB once fixed that ISO 4217 has withdrawn: their columns are history
/// of money nobody can hold now, so they are skipped (and named) rather than refused.
const WITHDRAWN: &[&str] = &[
    "CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL",
];

/// Stop collecting errors past this many: enough to fix a file by, short enough to read.
const MAX_ERRORS: usize = 20;

/// The rates of a file, and the withdrawn currencies whose columns were skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbRates {
    pub rates: Vec<ExchangeRate>,
    pub skipped: Vec<String>,
}

/// Reads a whole file, or reports every bad line (up to 20): a header that is not `Date`
/// and currency codes, a cell that is not a rate, a date that is not `YYYY-MM-DD` or
/// appears twice, a line with more cells than the header. Empty and `N/A` cells are no
/// rate; blank lines are ignored.
pub fn parse_ecb_csv(text: &str) -> Result<EcbRates, ValidationError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(ValidationError::at_line(
            1,
            "file",
            "is empty; expected the ECB header `Date,USD,JPY,…`",
        ));
    };
    let eur = Currency::parse("EUR")?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut cells = header.split(',').map(str::trim);
    if !cells.next().is_some_and(|c| c.eq_ignore_ascii_case("date")) {
        fail(
            &mut errors,
            ValidationError::at_line(
                header_line,
                "Date",
                "the first column must be `Date`: this is not the ECB's reference-rate CSV",
            ),
        );
    }
    // Per column after Date: the currency, or None for a column that is skipped.
    let mut columns: Vec<Option<Currency>> = Vec::new();
    let mut skipped = Vec::new();
    for code in cells {
        let column = match code {
            // The ECB ends every line with a comma: an empty last column.
            "" => None,
            c if WITHDRAWN.contains(&c) => {
                skipped.push(c.to_string());
                None
            }
            c => match Currency::parse(c) {
                Ok(q) if q == eur => {
                    fail(
                        &mut errors,
                        ValidationError::at_line(header_line, c, "EUR is the base of every rate"),
                    );
                    None
                }
                Ok(q) if columns.contains(&Some(q)) => {
                    fail(
                        &mut errors,
                        ValidationError::at_line(header_line, c, "appears twice"),
                    );
                    None
                }
                Ok(q) => Some(q),
                Err(_) => {
                    fail(
                        &mut errors,
                        ValidationError::at_line(
                            header_line,
                            c,
                            format!("{c:?} is not an ISO 4217 currency code"),
                        ),
                    );
                    None
                }
            },
        };
        columns.push(column);
    }
    let mut rates = Vec::new();
    let mut seen: HashMap<Date, u64> = HashMap::new();
    for (line, row) in lines {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let mut cells = row.split(',').map(str::trim);
        let date = cells.next().unwrap_or("");
        let date = match parse_date("Date", date) {
            Ok(d) => d,
            Err(e) => {
                fail(
                    &mut errors,
                    ValidationError::at_line(line, "Date", e.errors[0].message.clone()),
                );
                continue;
            }
        };
        if let Some(first) = seen.insert(date, line) {
            fail(
                &mut errors,
                ValidationError::at_line(
                    line,
                    "Date",
                    format!("{date} appears twice (first on line {first})"),
                ),
            );
            continue;
        }
        let values: Vec<&str> = cells.collect();
        if values.len() > columns.len() && values[columns.len()..].iter().any(|v| !v.is_empty()) {
            fail(
                &mut errors,
                ValidationError::at_line(
                    line,
                    "line",
                    format!(
                        "has {} cells, the header names {}",
                        values.len() + 1,
                        columns.len() + 1
                    ),
                ),
            );
            continue;
        }
        for (value, column) in values.iter().zip(&columns) {
            let Some(quote) = column else { continue };
            if value.is_empty() || value.eq_ignore_ascii_case("N/A") {
                continue;
            }
            match Rate::parse(value) {
                Ok(rate) => rates.push(ExchangeRate {
                    base: eur,
                    quote: *quote,
                    date,
                    rate,
                }),
                Err(e) => fail(
                    &mut errors,
                    ValidationError::at_line(line, quote.code(), e.errors[0].message.clone()),
                ),
            }
        }
    }
    if errors.is_empty() {
        Ok(EcbRates { rates, skipped })
    } else {
        Err(ValidationError { errors })
    }
}

fn fail(errors: &mut Vec<FieldError>, e: ValidationError) {
    errors.extend(e.errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Date,USD,JPY,CYP,BHD,\r\n\
        2026-11-20,1.0842,163.12,N/A,0.4078,\r\n\
        2026-11-19,1.0810,N/A,N/A,0.4066,\r\n\
        \r\n";

    #[test]
    fn reads_the_ecb_shape() {
        let parsed = parse_ecb_csv(&format!("\u{feff}{SAMPLE}")).expect("valid");
        let shown: Vec<String> = parsed
            .rates
            .iter()
            .map(|r| format!("{} {}/{} {}", r.date, r.base, r.quote, r.rate))
            .collect();
        assert_eq!(
            shown,
            [
                "2026-11-20 EUR/USD 1.0842",
                "2026-11-20 EUR/JPY 163.12",
                "2026-11-20 EUR/BHD 0.4078",
                "2026-11-19 EUR/USD 1.081",
                "2026-11-19 EUR/BHD 0.4066",
            ]
        );
        assert_eq!(parsed.skipped, ["CYP"]);
    }

    #[test]
    fn names_every_bad_line() {
        let bad = "Date,USD,JPY\n\
            2026-11-20,1.0842,163.12\n\
            2026-13-01,1.0,1.0\n\
            2026-11-18,abc,-3\n\
            2026-11-20,1.0,1.0\n\
            2026-11-17,1.0,1.0,9\n";
        let e = parse_ecb_csv(bad).expect_err("bad");
        let found: Vec<(Option<u64>, &str)> = e
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (Some(3), "Date"),
                (Some(4), "USD"),
                (Some(4), "JPY"),
                (Some(5), "Date"),
                (Some(6), "line"),
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_an_ecb_header() {
        for (text, field) in [
            ("", "file"),
            ("Day,USD\n2026-11-20,1\n", "Date"),
            ("Date,USD,XYZ\n", "XYZ"),
            ("Date,EUR\n", "EUR"),
            ("Date,USD,USD\n", "USD"),
        ] {
            let e = parse_ecb_csv(text).expect_err(text);
            assert_eq!(e.errors[0].field, field, "{text}");
            assert_eq!(e.errors[0].line, Some(1), "{text}");
        }
        let only_header = parse_ecb_csv("Date,USD,\n").expect("a header alone is no rate");
        assert!(only_header.rates.is_empty());
    }
}
