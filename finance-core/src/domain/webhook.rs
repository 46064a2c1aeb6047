//! Webhooks: a user's endpoint, the events it listens to, and what each delivery and its
//! attempts came to. What is sent and how it is signed is in `webhook_event`.

use time::OffsetDateTime;

use super::error::{ValidationError, Validator};
use super::history::{HistoryAction, HistoryEntity};
use super::ids::WebhookId;

/// The kinds of event a webhook can listen to (DESIGN.md, "Sync and events").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    MovementCreated,
    MovementUpdated,
    MovementDeleted,
    TransferCreated,
    TransferUpdated,
    TransferDeleted,
    AccountCreated,
    AccountUpdated,
    AccountDeleted,
    ImportCompleted,
    MemberAdded,
    MemberRemoved,
    BudgetExceeded,
}

impl EventType {
    pub const ALL: [Self; 13] = [
        Self::MovementCreated,
        Self::MovementUpdated,
        Self::MovementDeleted,
        Self::TransferCreated,
        Self::TransferUpdated,
        Self::TransferDeleted,
        Self::AccountCreated,
        Self::AccountUpdated,
        Self::AccountDeleted,
        Self::ImportCompleted,
        Self::MemberAdded,
        Self::MemberRemoved,
        Self::BudgetExceeded,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::MovementCreated => "movement.created",
            Self::MovementUpdated => "movement.updated",
            Self::MovementDeleted => "movement.deleted",
            Self::TransferCreated => "transfer.created",
            Self::TransferUpdated => "transfer.updated",
            Self::TransferDeleted => "transfer.deleted",
            Self::AccountCreated => "account.created",
            Self::AccountUpdated => "account.updated",
            Self::AccountDeleted => "account.deleted",
            Self::ImportCompleted => "import.completed",
            Self::MemberAdded => "member.added",
            Self::MemberRemoved => "member.removed",
            Self::BudgetExceeded => "budget.exceeded",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The event a change in an account's history is, if any: a member's new role, a
    /// schedule and a reconciliation are none.
    pub fn of_change(entity: HistoryEntity, action: HistoryAction) -> Option<Self> {
        use HistoryAction::{Created, Deleted, Updated};
        Some(match (entity, action) {
            (HistoryEntity::Movement, Created) => Self::MovementCreated,
            (HistoryEntity::Movement, Updated) => Self::MovementUpdated,
            (HistoryEntity::Movement, Deleted) => Self::MovementDeleted,
            (HistoryEntity::Transfer, Created) => Self::TransferCreated,
            (HistoryEntity::Transfer, Updated) => Self::TransferUpdated,
            (HistoryEntity::Transfer, Deleted) => Self::TransferDeleted,
            (HistoryEntity::Account, Created) => Self::AccountCreated,
            (HistoryEntity::Account, Updated) => Self::AccountUpdated,
            (HistoryEntity::Account, Deleted) => Self::AccountDeleted,
            (HistoryEntity::Import, _) => Self::ImportCompleted,
            (HistoryEntity::Member, Created) => Self::MemberAdded,
            (HistoryEntity::Member, Deleted) => Self::MemberRemoved,
            _ => return None,
        })
    }
}

/// What a webhook listens to: every event, or the ones named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Events {
    All,
    Only(Vec<EventType>),
}

impl Events {
    /// As stored: the names between commas (`,movement.created,budget.exceeded,`), or
    /// `,*,`, so that one `LIKE '%,<type>,%'` tells whether an event is wanted.
    pub fn stored(&self) -> String {
        match self {
            Self::All => ",*,".into(),
            Self::Only(types) => {
                let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
                format!(",{},", names.join(","))
            }
        }
    }

    /// Reads [`Self::stored`] back; names this version does not know are left out.
    pub fn from_stored(raw: &str) -> Self {
        if raw == ",*," {
            return Self::All;
        }
        Self::Only(raw.split(',').filter_map(EventType::from_name).collect())
    }

    /// The names, as the API writes them (`["*"]` for all).
    pub fn names(&self) -> Vec<String> {
        match self {
            Self::All => vec!["*".into()],
            Self::Only(types) => types.iter().map(|t| t.name().to_string()).collect(),
        }
    }
}

/// The body of `POST /webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookInput {
    /// An `http` or `https` URL that answers from a public address.
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::webhook_url))]
    pub url: String,
    /// Event types, or `["*"]` for all (the default).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::webhook_events))]
    pub events: Vec<String>,
}

/// An endpoint's URL: `http` or `https`, a host, no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    url: String,
    https: bool,
    host: String,
    port: u16,
}

/// The longest URL accepted.
const MAX_URL: usize = 2000;

impl WebhookUrl {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let bad = |why: &str| ValidationError::new("url", why);
        let url = raw.trim();
        if url.len() > MAX_URL {
            return Err(bad("is longer than 2000 characters"));
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("may not hold spaces"));
        }
        let (https, rest) = if let Some(rest) = strip_prefix_ci(url, "https://") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ci(url, "http://") {
            (false, rest)
        } else {
            return Err(bad("must start with https:// or http://"));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(bad("may not hold a user name or password"));
        }
        let (host, port) = split_port(authority).ok_or_else(|| bad("has a bad port"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(bad("has no host"));
        }
        Ok(Self {
            url: url.to_string(),
            https,
            host: host.to_ascii_lowercase(),
            port: port.unwrap_or(if https { 443 } else { 80 }),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn https(&self) -> bool {
        self.https
    }

    /// The host name or address, without brackets.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The path and query to request (`/` when the URL has none).
    pub fn target(&self) -> &str {
        let scheme = if self.https { 8 } else { 7 };
        let rest = &self.url[scheme..];
        match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => rest[i..].split('#').next().unwrap_or("/"),
            Some(i) => &rest[i..],
            None => "/",
        }
    }

    /// `Host` as the request sends it.
    pub fn authority(&self) -> String {
        let scheme = if self.https { 8 } else { 7 };
        let rest = &self.url[scheme..];
        rest.split(['/', '?', '#'])
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    // `get`, not indexing: the input may have a multi-byte character where the prefix ends.
    s.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .and_then(|_| s.get(prefix.len()..))
}

/// `host[:port]`, with IPv6 hosts in brackets; `None` for a port that is not a number.
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let colon = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => i,
        _ => return Some((authority, None)),
    };
    let port = &authority[colon + 1..];
    if port.is_empty() {
        return Some((&authority[..colon], None));
    }
    port.parse()
        .ok()
        .filter(|p| *p > 0)
        .map(|p| (&authority[..colon], Some(p)))
}

/// A webhook as asked for: its URL and events, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    pub url: WebhookUrl,
    pub events: Events,
}

impl NewWebhook {
    pub fn parse(input: &WebhookInput) -> Result<Self, ValidationError> {
        let mut v = Validator::new();
        let url = v.check(WebhookUrl::parse(&input.url));
        let events = v.check(parse_events(&input.events));
        v.finish(|| {
            Some(Self {
                url: url?,
                events: events?,
            })
        })
    }
}

fn parse_events(names: &[String]) -> Result<Events, ValidationError> {
    if names.is_empty() || names.iter().any(|n| n.trim() == "*") {
        return Ok(Events::All);
    }
    let mut types = Vec::new();
    for name in names {
        let t = EventType::from_name(name.trim()).ok_or_else(|| {
            ValidationError::new(
                "events",
                format!(
                    "{name:?} is not an event (say \"*\" for all, or e.g. \"movement.created\")"
                ),
            )
        })?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    types.sort();
    Ok(Events::Only(types))
}

/// A webhook as `GET /webhooks` shows it (its secret is never shown again).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// `active`, or `disabled` after 24 hours of failed deliveries.
    pub status: WebhookStatus,
    /// Since when deliveries fail without a success between; `null` while they succeed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub failing_since: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookStatus {
    Active,
    Disabled,
}

/// The answer of `POST /webhooks`: the webhook and its signing secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The key of the HMAC in `Finance-Signature` (its UTF-8 bytes); not shown again.
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookList {
    pub items: Vec<Webhook>,
}

#[cfg(test)]
#[path = "webhook_tests.rs"]
mod tests;
