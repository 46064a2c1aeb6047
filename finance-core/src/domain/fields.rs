//! How fields read and write on the wire: dates as `YYYY-MM-DD`, and a field that may be
//! present as `null` (cleared) or absent (left as it is).

use time::Date;

use super::error::{ValidationError, Validator};

/// Writes an optional date as `YYYY-MM-DD` or null.
pub(crate) fn serialize_optional_date<S: serde::Serializer>(
    date: &Option<Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Writes a date as `YYYY-MM-DD`, the form it is read in.
pub(crate) fn serialize_date<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// Reads a date written `YYYY-MM-DD` (a client reading the server's answers).
pub(crate) fn deserialize_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
    parse_date("date", &text).map_err(serde::de::Error::custom)
}

/// Reads an optional date written `YYYY-MM-DD` or null.
pub(crate) fn deserialize_optional_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Date>, D::Error> {
    let text = <Option<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(d)?;
    text.map(|t| parse_date("date", &t).map_err(serde::de::Error::custom))
        .transpose()
}

/// Reads dates written `YYYY-MM-DD`.
pub(crate) fn deserialize_dates<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Date>, D::Error> {
    let texts = <Vec<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(d)?;
    texts
        .iter()
        .map(|t| parse_date("date", t).map_err(serde::de::Error::custom))
        .collect()
}

/// A field that is present, `null` included, as `Some`; absent fields stay `None` (default).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A field that, when present, must hold a value (`null` is refused); absent stays `None`.
pub(crate) fn not_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Parses a calendar date written `YYYY-MM-DD`, with a four-digit year (1000 to 9999).
///
/// Four digits keep dates sortable as text, which is how SQLite stores and pages them.
pub fn parse_date(field: &str, raw: &str) -> Result<Date, ValidationError> {
    let format = time::macros::format_description!("[year repr:full sign:automatic]-[month]-[day]");
    Date::parse(raw.trim(), &format)
        .ok()
        .filter(|d| (1000..=9999).contains(&d.year()))
        .ok_or_else(|| {
            ValidationError::new(field, format!("{raw:?} is not a date written YYYY-MM-DD"))
        })
}

/// An optional whole number that may be written `7` or `7.0`: JSON Schema counts both as
/// the integer its document states, so both are read (a fraction or a value beyond `u32`
/// is refused).
pub(crate) fn optional_whole_number<'de, D>(d: D) -> Result<Option<u32>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Whole(u32);

    impl<'de> serde::Deserialize<'de> for Whole {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = Whole;

                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a whole number")
                }

                fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Whole, E> {
                    u32::try_from(n)
                        .map(Whole)
                        .map_err(|_| E::custom(format!("{n} is too large")))
                }

                fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Whole, E> {
                    u32::try_from(n)
                        .map(Whole)
                        .map_err(|_| E::custom(format!("{n} is out of range")))
                }

                fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Whole, E> {
                    if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
                        // Exact: a whole f64 within u32's range converts without loss.
                        Ok(Whole(n as u32))
                    } else {
                        Err(E::custom(format!("{n} is not a whole number in range")))
                    }
                }
            }
            d.deserialize_any(Visitor)
        }
    }

    Ok(<Option<Whole> as serde::Deserialize>::deserialize(d)?.map(|w| w.0))
}

/// An optional span of days, `from` and `to` (`YYYY-MM-DD`, either may be absent), with
/// `from` not after `to`: every failure at once, as a validator collects them.
pub fn parse_span(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<Date>, Option<Date>), ValidationError> {
    let mut v = Validator::new();
    let from = v.check(from.map(|d| parse_date("from", d)).transpose());
    let to = v.check(to.map(|d| parse_date("to", d)).transpose());
    if let (Some(Some(f)), Some(Some(t))) = (from, to)
        && f > t
    {
        v.check::<()>(Err(ValidationError::new("from", "must not be after `to`")));
    }
    v.finish(|| Some((from?, to?)))
}

#[cfg(test)]
mod whole_number_tests {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "super::optional_whole_number")]
        n: Option<u32>,
    }

    fn read(json: &str) -> Result<Option<u32>, serde_json::Error> {
        serde_json::from_str::<Body>(json).map(|b| b.n)
    }

    #[test]
    fn whole_numbers_read_in_either_form_and_fractions_do_not() {
        assert_eq!(read(r#"{"n": 7}"#).unwrap(), Some(7));
        assert_eq!(read(r#"{"n": 2436.0}"#).unwrap(), Some(2436));
        assert_eq!(read(r#"{"n": null}"#).unwrap(), None);
        assert_eq!(read(r#"{}"#).unwrap(), None);
        for bad in [
            r#"{"n": 1.5}"#,
            r#"{"n": -1}"#,
            r#"{"n": 1e20}"#,
            r#"{"n": "7"}"#,
        ] {
            assert!(read(bad).is_err(), "{bad} was read");
        }
    }
}
