//! Keyset pagination of movements, newest first.

use time::Date;

use super::bound::AmountBound;
use super::error::{ValidationError, Validator, text};
use super::fields::parse_span;
use super::money::MoneySum;
use super::movement::Movement;

/// Default and largest page sizes.
pub const DEFAULT_LIMIT: u16 = 50;
pub const MAX_LIMIT: u16 = 200;

/// Where the next page starts: the position of the last movement of this page.
///
/// Movements are ordered by `occurred_on` then by insertion sequence, both descending, so
/// a page boundary is a point in that order and pages stay stable while new movements are
/// added. On the wire it is an opaque hex string, so clients do not build one by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub occurred_on: Date,
    pub seq: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let plain = format!("{}/{}", self.occurred_on, self.seq);
        hex::encode(plain)
    }

    /// Reads a cursor. A well-formed one whose day does not exist (a hand-made `02-30`)
    /// still names a place in the order, between two real days, and is read as that place.
    pub fn decode(raw: &str) -> Result<Self, ValidationError> {
        let invalid = invalid_cursor;
        let plain = unhex_cursor(raw, 128)?;
        let (date, seq) = plain.split_once('/').ok_or_else(invalid)?;
        if seq.is_empty() || seq.len() > 18 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let seq: i64 = seq.parse().map_err(|_| invalid())?;
        Ok(match day_position(date).ok_or_else(invalid)? {
            Position::On(occurred_on) => Self { occurred_on, seq },
            Position::Before(occurred_on) => Self {
                occurred_on,
                seq: i64::MIN,
            },
            Position::AfterAll => Self {
                occurred_on: Date::MAX,
                seq: i64::MAX,
            },
        })
    }
}

/// The query string of a movements listing, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct MovementQueryInput {
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::limit))]
    pub limit: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::movement_cursor))]
    pub cursor: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub from: Option<String>,
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::date))]
    pub to: Option<String>,
    /// Text the description contains, in any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::search))]
    pub q: Option<String>,
    /// The exact category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::category))]
    pub category: Option<String>,
    /// The least amount, in each account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::bound))]
    pub min: Option<String>,
    /// The greatest amount, in each account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::bound))]
    pub max: Option<String>,
    /// A tag the movement carries; repeat it for several (all must match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "openapi",
        param(schema_with = super::schemas::tag_list, style = Form, explode)
    )]
    pub tag: Vec<String>,
}

/// A validated movements listing: at most `limit` items, both dates and both amounts
/// inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementQuery {
    pub limit: u16,
    pub cursor: Option<Cursor>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Lower-cased; matched anywhere in the description.
    pub q: Option<String>,
    pub category: Option<String>,
    pub min: Option<AmountBound>,
    pub max: Option<AmountBound>,
    /// Tags every movement listed carries (lower-cased).
    pub tags: Vec<String>,
    /// Only these movements (the change feed reads its page's movements so); not a filter
    /// of the API's.
    pub ids: Vec<uuid::Uuid>,
    /// Oldest first, the cursor going forward (the journal export writes in date order);
    /// not a parameter of the API's.
    pub oldest_first: bool,
}

impl Default for MovementQuery {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            cursor: None,
            from: None,
            to: None,
            q: None,
            category: None,
            min: None,
            max: None,
            tags: Vec::new(),
            ids: Vec::new(),
            oldest_first: false,
        }
    }
}

impl MovementQuery {
    pub fn parse(input: &MovementQueryInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let limit = v.check(parse_limit(input.limit.as_deref()));
        let cursor = v.check(input.cursor.as_deref().map(Cursor::decode).transpose());
        let span = v.check(parse_span(input.from.as_deref(), input.to.as_deref()));
        // An empty search is no search.
        let q = v.check(
            input
                .q
                .as_deref()
                .filter(|q| !q.trim().is_empty())
                .map(|q| text("q", q, 200).map(|q| q.to_lowercase()))
                .transpose(),
        );
        let category = v.check(
            input
                .category
                .as_deref()
                .map(|c| text("category", c, 50))
                .transpose(),
        );
        let bound = |field: &str, raw: &Option<String>| {
            raw.as_deref()
                .map(|b| AmountBound::parse(field, b))
                .transpose()
        };
        let min = v.check(bound("min", &input.min));
        let max = v.check(bound("max", &input.max));
        if let (Some(Some(lo)), Some(Some(hi))) = (min, max)
            && lo > hi
        {
            v.check::<()>(Err(ValidationError::new("min", "must not be above `max`")));
        }
        let tags = v.check(super::tags::parse_tags(&input.tag).map_err(|e| e.for_field("tag")));
        v.finish(|| {
            Some(Self {
                limit: limit?,
                cursor: cursor?,
                from: span?.0,
                to: span?.1,
                q: q?,
                category: category?,
                min: min?,
                max: max?,
                tags: tags?,
                ids: Vec::new(),
                oldest_first: false,
            })
        })
    }
}

/// Why a cursor was refused: the same words whatever was wrong with it.
pub(crate) fn invalid_cursor() -> ValidationError {
    ValidationError::new("cursor", "is not a cursor returned by this service")
}

/// Where a cursor's `YYYY-MM-DD` falls among real days.
pub(crate) enum Position {
    /// On this day.
    On(Date),
    /// Just before this day (after the day before it).
    Before(Date),
    /// After every day there can be.
    AfterAll,
}

/// Reads `YYYY-MM-DD` with a year from 1000 and any two-digit month and day: month 00 or
/// day 00 is just before the first, a month past 12 or a day past the month's end just
/// before the next month.
pub(crate) fn day_position(text: &str) -> Option<Position> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u16> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if year < 1000 {
        return None;
    }
    let first_of = |year: u16, month: u8| {
        time::Month::try_from(month)
            .ok()
            .and_then(|m| Date::from_calendar_date(i32::from(year), m, 1).ok())
    };
    let next_month = |year: u16, month: u16| {
        if month >= 12 {
            first_of(year + 1, 1)
        } else {
            first_of(year, month as u8 + 1)
        }
    };
    Some(match (month, day) {
        (0, _) => Position::Before(first_of(year, 1)?),
        (1..=12, 0) => Position::Before(first_of(year, month as u8)?),
        (1..=12, _) => match first_of(year, month as u8)?.replace_day(day as u8) {
            Ok(d) => Position::On(d),
            Err(_) => next_month(year, month).map_or(Position::AfterAll, Position::Before),
        },
        _ => next_month(year, 12).map_or(Position::AfterAll, Position::Before),
    })
}

/// The text inside an opaque (hex) cursor of at most `max` characters, written in lower
/// case as the service writes it.
pub(crate) fn unhex_cursor(raw: &str, max: usize) -> Result<String, ValidationError> {
    if raw.len() > max || raw.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(invalid_cursor());
    }
    hex::decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid_cursor)
}

/// A page size: 1..=[`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
pub(crate) fn parse_limit(raw: Option<&str>) -> Result<u16, ValidationError> {
    match raw {
        None => Ok(DEFAULT_LIMIT),
        Some(l) => l
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ValidationError::new(
                    "limit",
                    format!("must be a whole number from 1 to {MAX_LIMIT}"),
                )
            }),
    }
}

impl serde::Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

/// One page of movements and where the next one starts, if there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MovementPage {
    pub items: Vec<Movement>,
    /// Always present; `null` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<Cursor>,
}

impl MovementPage {
    /// The account's balance after each movement of the page (newest first), given the
    /// balance after its first one: each is the one before less that movement's amount.
    /// The last value less the last amount is where the next page's starts.
    pub fn running_balances(&self, after_first: MoneySum) -> Vec<MoneySum> {
        let mut balance = after_first;
        self.items
            .iter()
            .map(|m| {
                let after = balance;
                balance = balance.plus_minor(-i128::from(m.amount.minor()));
                after
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn cursor_round_trips_and_rejects_junk() {
        let c = Cursor {
            occurred_on: date!(2026 - 01 - 31),
            seq: 9_000_000_001,
        };
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
        for junk in ["", "zz", "abc", "2026-01-31/1", &"00".repeat(100)] {
            assert!(Cursor::decode(junk).is_err(), "{junk}");
        }
    }

    #[test]
    fn query_limits_and_date_order() {
        let q = |limit: &str, from: &str, to: &str| {
            MovementQuery::parse(&MovementQueryInput {
                limit: Some(limit.into()),
                from: Some(from.into()),
                to: Some(to.into()),
                ..Default::default()
            })
        };
        assert_eq!(
            q("200", "2026-01-01", "2026-01-01").map(|q| q.limit),
            Ok(200)
        );
        for bad in ["0", "201", "-1", "ten", ""] {
            assert!(q(bad, "2026-01-01", "2026-01-02").is_err(), "{bad}");
        }
        let err = q("10", "2026-02-01", "2026-01-01").expect_err("from after to");
        assert_eq!(err.errors[0].field, "from");
        assert_eq!(
            MovementQuery::parse(&MovementQueryInput::default()),
            Ok(MovementQuery::default())
        );
    }
}
