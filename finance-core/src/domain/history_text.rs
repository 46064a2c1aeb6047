//! A history entry in one line, as the CLI and the dashboard show it: what the record is,
//! or for a change, which of its fields went from what to what.

use serde_json::{Map, Value};

use super::history::HistoryEntry;

/// Fields every change touches, which say nothing of what changed.
const STAMPS: [&str; 4] = ["updated_at", "updated_by", "created_at", "created_by"];

impl HistoryEntry {
    /// `Lunch -12.50 EUR 2026-11-02` for a record made or deleted; `amount -12.50 → -13.00,
    /// category - → food` for a change.
    pub fn summary(&self) -> String {
        match (&self.before, &self.after) {
            (Some(Value::Object(before)), Some(Value::Object(after))) => changes(before, after),
            (Some(record), None) | (None, Some(record)) => label(record),
            _ => String::new(),
        }
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "-".into(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(" "),
        Value::Object(o) => o
            .get("email")
            .or_else(|| o.get("category"))
            .map_or_else(|| "…".into(), text),
        other => other.to_string(),
    }
}

/// What a record is, by the fields people know it by.
fn label(record: &Value) -> String {
    // A transfer is known by its outgoing leg.
    if let Some(from) = record.get("from").filter(|f| f.is_object()) {
        return label(from);
    }
    if let (Some(added), Some(duplicates)) = (record.get("added"), record.get("duplicates")) {
        return format!("{added} added, {duplicates} duplicates");
    }
    let money = |field: &str| {
        record.get(field).map(|a| {
            format!(
                "{} {}",
                text(a),
                record.get("currency").map(text).unwrap_or_default()
            )
        })
    };
    let parts = [
        record.get("description").map(text),
        record.get("name").map(text),
        record.get("email").map(text),
        money("amount"),
        money("balance").filter(|_| record.get("date").is_some()),
        record.get("role").map(text),
        record
            .get("date")
            .or_else(|| record.get("occurred_on"))
            .map(text),
        record.get("start").map(|s| format!("from {}", text(s))),
    ];
    parts
        .into_iter()
        .flatten()
        .map(|p| p.trim().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fields that changed, each `field before → after`.
fn changes(before: &Map<String, Value>, after: &Map<String, Value>) -> String {
    let changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| !STAMPS.contains(&k.as_str()) && before.get(*k) != Some(v))
        .map(|(k, v)| {
            let was = before.get(k).map_or_else(|| "-".into(), text);
            format!("{k} {was} → {}", text(v))
        })
        .collect();
    if changed.is_empty() {
        label(&Value::Object(after.clone()))
    } else {
        changed.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::OffsetDateTime;

    use super::*;
    use crate::domain::{HistoryAction, HistoryEntity, UserId, UserRef};

    fn entry(before: Option<Value>, after: Option<Value>) -> HistoryEntry {
        HistoryEntry {
            at: OffsetDateTime::UNIX_EPOCH,
            by: UserRef {
                id: UserId(uuid::Uuid::nil()),
                email: None,
            },
            action: HistoryAction::Updated,
            entity: HistoryEntity::Movement,
            entity_id: uuid::Uuid::nil(),
            before,
            after,
        }
    }

    #[test]
    fn a_record_is_named_and_a_change_lists_its_fields() {
        let lunch = json!({"description": "Lunch", "amount": "-12.50", "currency": "EUR",
            "occurred_on": "2026-11-02", "category": null, "updated_at": "a", "tags": []});
        assert_eq!(
            entry(None, Some(lunch.clone())).summary(),
            "Lunch -12.50 EUR 2026-11-02"
        );
        let mut edited = lunch.clone();
        edited["amount"] = json!("-13.00");
        edited["category"] = json!("food");
        edited["updated_at"] = json!("b");
        assert_eq!(
            entry(Some(lunch), Some(edited)).summary(),
            "amount -12.50 → -13.00, category - → food"
        );
        let import = json!({"added": 3, "duplicates": 1});
        assert_eq!(entry(None, Some(import)).summary(), "3 added, 1 duplicates");
        let member = json!({"email": "bo@example.com", "role": "viewer", "status": "active"});
        assert_eq!(entry(Some(member), None).summary(), "bo@example.com viewer");
    }
}
