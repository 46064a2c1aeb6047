//! What a webhook is sent: the events a change makes, the body of a delivery and its
//! signature, when a failed delivery is tried again, and which addresses may be called.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};

use super::entities::AccountId;
use super::history::Change;
use super::ids::EventId;
use super::webhook::EventType;

/// An event to write to the outbox in a change's transaction: every active webhook of
/// the account's members that listens to `kind` gets a delivery of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hooked {
    pub id: EventId,
    pub account_id: AccountId,
    pub kind: EventType,
    pub at: OffsetDateTime,
    /// The record as the API writes it (before the change when it was deleted), with the
    /// account it belongs to.
    pub data: String,
}

impl Hooked {
    /// The events of `changes`, written together. A transfer's change on each of its two
    /// accounts is one event (one id): a member of both hears of it once.
    pub fn of_changes<C: std::borrow::Borrow<Change>>(changes: &[C]) -> Vec<Self> {
        let mut out: Vec<(Self, uuid::Uuid)> = Vec::new();
        for c in changes.iter().map(|c| c.borrow()) {
            let Some(kind) = EventType::of_change(c.entity, c.action) else {
                continue;
            };
            let id = out
                .iter()
                .find(|(h, record)| h.kind == kind && *record == c.entity_id)
                .map_or_else(EventId::random, |(h, _)| h.id);
            let record = c.after.as_deref().or(c.before.as_deref()).unwrap_or("{}");
            let hooked = Self {
                id,
                account_id: c.account_id,
                kind,
                at: c.at,
                data: with_account(record, c.account_id),
            };
            out.push((hooked, c.entity_id));
        }
        out.into_iter().map(|(h, _)| h).collect()
    }
}

/// `record` with `account_id` set, when it is an object without one (an import's counts).
pub fn with_account(record: &str, account: AccountId) -> String {
    match serde_json::from_str::<serde_json::Value>(record) {
        Ok(serde_json::Value::Object(mut o)) if !o.contains_key("account_id") => {
            o.insert("account_id".into(), account.to_string().into());
            serde_json::Value::Object(o).to_string()
        }
        _ => record.to_string(),
    }
}

/// The body of a delivery: `{"id","type","created_at","data"}`, `data` as stored.
pub fn event_body(id: EventId, kind: &str, created_at: OffsetDateTime, data: &str) -> String {
    let at = created_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    // `data` is JSON written by this service; anything else is sent as a string.
    let data: serde_json::Value =
        serde_json::from_str(data).unwrap_or_else(|_| serde_json::Value::String(data.into()));
    serde_json::json!({"id": id, "type": kind, "created_at": at, "data": data}).to_string()
}

/// `Finance-Signature`: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the key
/// being the secret string's UTF-8 bytes (Stripe's scheme).
pub fn sign_event(secret: &str, t: i64, body: &str) -> String {
    // HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// How long the service keeps trying one event before it gives up, and how long an
/// endpoint may fail without a success before it is disabled.
pub const GIVE_UP_AFTER: Duration = Duration::hours(24);

/// The wait before the next attempt after `attempts` failed ones: 5 s, 20 s, 80 s, …
/// times four each time, at most 4 hours, plus up to a quarter more at random
/// (`jitter` in [0, 1)) so endpoints that failed together are not retried together. The
/// first two retries come within 90 s of the first attempt (at most 6.25 s + 25 s, plus
/// the attempts themselves: 5 s each at worst).
pub fn retry_delay(attempts: u32, jitter: f64) -> Duration {
    let base = 5.0 * 4f64.powi(attempts.saturating_sub(1).min(10) as i32);
    let capped = base.min(4.0 * 3600.0);
    Duration::seconds_f64(capped * (1.0 + 0.25 * jitter.clamp(0.0, 1.0)))
}

/// Whether an address may be called: not loopback, private, link-local, multicast,
/// unspecified, broadcast, shared (100.64/10) or unique-local, nor an IPv4 one of those
/// written as IPv6.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}
