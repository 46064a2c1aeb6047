//! `GET /v1/changes` as a client sees it: the query, the cursor it keeps, and a page of
//! changes, each record in its latest state.

use serde_json::Value;
use time::OffsetDateTime;

use super::error::{ValidationError, Validator};
use super::feed::{FeedAction, FeedEntity, FeedPosition};
use super::page::parse_limit;

/// The query string of `GET /v1/changes`, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ChangesQueryInput {
    /// The `next` of the previous page; without it, the current state of everything first.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::changes_cursor))]
    pub since: Option<String>,
    /// 1..=200, default 100.
    #[cfg_attr(feature = "openapi", param(schema_with = super::schemas::changes_limit))]
    pub limit: Option<String>,
}

/// Where a client is in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangesCursor {
    /// Reading the current state of everything, which the feed goes on from `head`:
    /// `stage` counts the kinds of record done, `inner` is the place within the current one.
    Snapshot {
        head: FeedPosition,
        stage: u8,
        inner: Option<String>,
    },
    /// Following the feed after this position.
    After(FeedPosition),
}

impl ChangesCursor {
    /// `x.s` after a position, `s.x.s.stage[.inner]` within a snapshot.
    pub fn encode(&self) -> String {
        match self {
            Self::After(p) => p.encode(),
            Self::Snapshot { head, stage, inner } => match inner {
                Some(i) => format!("s.{}.{stage}.{i}", head.encode()),
                None => format!("s.{}.{stage}", head.encode()),
            },
        }
    }

    /// The cursor that follows the feed from where this one's reading began, skipping
    /// the rest of a snapshot: for a client that only wants to hear of changes from now.
    pub fn from_now(&self) -> Self {
        match self {
            Self::After(p) | Self::Snapshot { head: p, .. } => Self::After(*p),
        }
    }

    pub fn decode(raw: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::new("since", "not a cursor this feed handed out");
        let Some(rest) = raw.strip_prefix("s.") else {
            return FeedPosition::decode(raw).map(Self::After);
        };
        let mut parts = rest.splitn(4, '.');
        let (Some(xid), Some(seq), Some(stage)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let head = FeedPosition::decode(&format!("{xid}.{seq}"))?;
        let stage: u8 = stage.parse().map_err(|_| bad())?;
        let inner = parts.next().map(str::to_string);
        // Stage 0 reads the small kinds at once; 1 goes on with a movements cursor, 2 with
        // a rates one.
        let fits = match (stage, inner.as_deref()) {
            (0..=2, None) => true,
            (1, Some(i)) => super::page::Cursor::decode(i).is_ok(),
            (2, Some(i)) => super::rate_page::RateCursor::decode(i).is_ok(),
            _ => false,
        };
        if !fits {
            return Err(bad());
        }
        Ok(Self::Snapshot { head, stage, inner })
    }
}

/// A validated [`ChangesQueryInput`]: `None` starts with the current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesQuery {
    pub since: Option<ChangesCursor>,
    pub limit: u16,
}

impl ChangesQuery {
    pub fn parse(input: &ChangesQueryInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let limit = v.check(match input.limit {
            None => Ok(DEFAULT_CHANGES),
            Some(_) => parse_limit(input.limit.as_deref()),
        });
        let since = v.check(
            input
                .since
                .as_deref()
                .map(ChangesCursor::decode)
                .transpose(),
        );
        v.finish(|| {
            Some(Self {
                since: since?,
                limit: limit?,
            })
        })
    }
}

/// Changes per page when the client does not say.
pub const DEFAULT_CHANGES: u16 = 100;

/// One record as it is now, or gone.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeItem {
    pub entity: FeedEntity,
    /// The record's id: a UUID; a budget's category; a rate's `BASE/QUOTE/DATE`.
    pub id: String,
    pub action: FeedAction,
    /// When it changed.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The record as its own route answers it; null when deleted.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, required = true))]
    pub data: Option<Value>,
}

/// A page of the feed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePage {
    pub items: Vec<ChangeItem>,
    /// The `since` of the next request; keep it even when `items` is empty.
    pub next: String,
    /// Whether more is readable at once (else ask again later).
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let head = FeedPosition { xid: 12, seq: 40 };
        for c in [
            ChangesCursor::After(head),
            ChangesCursor::Snapshot {
                head,
                stage: 0,
                inner: None,
            },
            ChangesCursor::Snapshot {
                head,
                stage: 2,
                inner: None,
            },
        ] {
            assert_eq!(
                ChangesCursor::decode(&c.encode()),
                Ok(c.clone()),
                "{}",
                c.encode()
            );
        }
        for bad in [
            "s.",
            "s.1.2",
            "s.1.2.x",
            "s.1.2.3",
            "s.1.2.0.ab",
            "s.1.2.1.zz",
            "x",
            "1.2.3",
        ] {
            assert!(ChangesCursor::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_limit_defaults_to_a_hundred_and_stays_in_range() {
        let q = |limit: Option<&str>| {
            ChangesQuery::parse(&ChangesQueryInput {
                since: None,
                limit: limit.map(str::to_string),
            })
        };
        assert_eq!(q(None).unwrap().limit, 100);
        assert_eq!(q(Some("200")).unwrap().limit, 200);
        assert!(q(Some("0")).is_err() && q(Some("201")).is_err());
    }
}
