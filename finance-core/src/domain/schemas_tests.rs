//! The document's patterns against the parsers: what a pattern allows is read, and
//! what is read matches the pattern (for text as sent, without surrounding spaces
//! where a parser trims them, as bank files need).

use proptest::prelude::*;
use regex::Regex;

use super::*;
use crate::domain::{AccountId, Currency, Cursor, Money, RateCursor, parse_date};

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

fn bhd() -> Currency {
    Currency::parse("BHD").expect("BHD")
}

proptest! {
    #[test]
    fn amounts_the_pattern_allows_are_read(s in r"-?[0-9]{1,15}(\.[0-9]{1,3})?") {
        prop_assert!(re(AMOUNT_PATTERN).is_match(&s));
        let read = Money::parse(&s, bhd());
        prop_assert!(read.is_ok(), "{s}");
        let zero = read.map(|m| m.is_zero()).unwrap_or(false);
        prop_assert_eq!(re(NONZERO_AMOUNT_PATTERN).is_match(&s), !zero);
        prop_assert_eq!(
            re(POSITIVE_AMOUNT_PATTERN).is_match(&s),
            !zero && !s.starts_with('-')
        );
    }

    #[test]
    fn amounts_read_match_the_pattern(s in r"[-0-9. a+e]{0,8}") {
        if Money::parse(&s, bhd()).is_ok() {
            prop_assert!(re(AMOUNT_PATTERN).is_match(&s), "{s:?}");
        }
    }

    #[test]
    fn text_is_read_exactly_when_the_pattern_and_length_allow_it(
        s in r"[ \t\na-z\u{a0}\u{85}\u{2028}\u{3000}é]{0,12}"
    ) {
        let allowed = re(&text_pattern()).is_match(&s) && s.chars().count() <= 10;
        prop_assert_eq!(crate::domain::error::text("f", &s, 10).is_ok(), allowed, "{:?}", s);
    }

    #[test]
    fn dates_read_match_the_pattern(s in r"[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}") {
        let read = parse_date("d", &s).is_ok();
        if read {
            prop_assert!(re(DATE_PATTERN).is_match(&s), "{s}");
        }
        if re(DATE_PATTERN).is_match(&s) && !read {
            // Allowed by the pattern, refused: only a day the month lacks (format: date).
            prop_assert!(s.ends_with("-29") || s.ends_with("-30") || s.ends_with("-31"), "{s}");
        }
    }

    #[test]
    fn ids_are_read_exactly_in_the_pattern(s in r"[{(urn:uid]{0,2}[0-9a-fA-F-]{30,38}[})]?") {
        prop_assert_eq!(AccountId::parse("id", &s).is_ok(), re(UUID_PATTERN).is_match(&s), "{}", s);
    }

    #[test]
    fn every_cursor_the_pattern_allows_is_a_place(
        movement in r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}/[0-9]{1,18}",
        rate in r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}/[A-Z]{3}/[A-Z]{3}",
    ) {
        let movement = hex::encode(movement);
        prop_assert!(re(MOVEMENT_CURSOR_PATTERN).is_match(&movement));
        prop_assert!(Cursor::decode(&movement).is_ok(), "{movement}");
        let rate = hex::encode(rate);
        prop_assert!(re(RATE_CURSOR_PATTERN).is_match(&rate));
        prop_assert!(RateCursor::decode(&rate).is_ok(), "{rate}");
    }
}

#[test]
fn a_cursor_on_a_missing_day_goes_on_after_the_day_before() {
    let at = |text: &str| Cursor::decode(&hex::encode(text)).expect(text);
    let next = at("2026-03-01/5");
    assert_eq!(at("2026-02-30/7").occurred_on, next.occurred_on);
    assert_eq!(at("2026-02-30/7").seq, i64::MIN);
    assert_eq!(
        at("2026-13-01/1").occurred_on,
        at("2027-01-01/1").occurred_on
    );
    assert_eq!(
        at("2026-00-09/1").occurred_on,
        at("2026-01-01/1").occurred_on
    );
    assert_eq!(at("9999-12-32/1").occurred_on, time::Date::MAX);
    assert!(Cursor::decode(&hex::encode("2026-03-01/5").to_uppercase()).is_err());
}

#[test]
fn the_currency_enum_is_every_known_code() {
    let listed = currency().enum_values.expect("an enum").len();
    assert_eq!(listed, Currency::all().count());
    assert!(Currency::all().all(|c| Currency::parse(c.code()).is_ok()));
}
