//! How fields read and write on the wire: dates as `YYYY-MM-DD`, and a field that may be
//! present as `null` (cleared) or absent (left as it is).

use time::Date;

use super::error::ValidationError;

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

/// A field that is present, `null` included, as `Some`; absent fields stay `None` (default).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
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
