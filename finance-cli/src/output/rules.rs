//! Tags, rules and what a rule would change.

use super::*;
use finance_core::domain::{Actions, Conditions, RuleList, RulePreview, TagList};

/// A rule's conditions in a few words: `contains "rewe", ≤ -100`.
fn when(w: &Conditions) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &w.description_contains {
        parts.push(format!("contains {t:?}"));
    }
    if let Some(p) = &w.description_matches {
        parts.push(format!("matches /{p}/"));
    }
    if let Some(a) = &w.amount_min {
        parts.push(format!("≥ {a}"));
    }
    if let Some(a) = &w.amount_max {
        parts.push(format!("≤ {a}"));
    }
    if let Some(a) = &w.account {
        parts.push(format!("account {a}"));
    }
    if let Some(c) = &w.currency {
        parts.push(format!("in {c}"));
    }
    parts.join(", ")
}

/// A rule's actions in a few words: `category groceries, +food`.
fn then(t: &Actions) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &t.category {
        parts.push(format!("category {c}"));
    }
    if let Some(d) = &t.description {
        parts.push(format!("description {d:?}"));
    }
    parts.extend(t.add_tags.iter().map(|tag| format!("+{tag}")));
    parts.join(", ")
}

/// A movement's category as the lists show it: its own, or its parts' joined by `+`.
pub(super) fn category_of(m: &Movement) -> String {
    m.categories().join("+")
}

impl Out {
    pub fn tags(&self, list: &TagList) {
        if list.items.is_empty() {
            self.line("No tags.");
            return;
        }
        let rows = list
            .items
            .iter()
            .map(|t| vec![Self::cell(t.name.clone()), Self::cell(t.count.to_string())])
            .collect();
        self.table(&[("TAG", Align::Left), ("MOVEMENTS", Align::Right)], rows);
    }

    pub fn rules(&self, list: &RuleList) {
        if list.items.is_empty() {
            self.line("No rules. Make one with `finance rule add NAME --when-contains TEXT --set-category C`.");
            return;
        }
        let rows = list
            .items
            .iter()
            .map(|r| {
                vec![
                    Self::cell(r.position.to_string()),
                    Self::cell(r.name.clone()),
                    Self::cell(when(&r.when)),
                    Self::cell(then(&r.then)),
                    Self::cell(r.applied.to_string()),
                    Self::cell(r.id.to_string()),
                ]
            })
            .collect();
        self.table(
            &[
                ("#", Align::Right),
                ("NAME", Align::Left),
                ("WHEN", Align::Left),
                ("THEN", Align::Left),
                ("MATCHED", Align::Right),
                ("ID", Align::Left),
            ],
            rows,
        );
    }

    pub fn rule_preview(&self, preview: &RulePreview) {
        if preview.items.is_empty() {
            self.line("The rule would change no movement.");
            return;
        }
        let rows = preview
            .items
            .iter()
            .map(|c| {
                let (m, a) = (&c.movement, &c.after);
                let added: Vec<String> = a
                    .tags
                    .iter()
                    .filter(|t| !m.tags.contains(t))
                    .map(|t| format!("+{t}"))
                    .collect();
                let description = if a.description == m.description {
                    m.description.clone()
                } else {
                    format!("{} → {}", m.description, a.description)
                };
                let category = match (category_of(m), category_of(a)) {
                    (before, after) if before == after => after,
                    (before, after) if before.is_empty() => format!("→ {after}"),
                    (before, after) => format!("{before} → {after}"),
                };
                vec![
                    Self::cell(m.occurred_on.to_string()),
                    self.amount(m.amount),
                    Self::cell(description),
                    Self::cell(category),
                    Self::cell(added.join(" ")),
                ]
            })
            .collect();
        self.table(
            &[
                ("DATE", Align::Left),
                ("AMOUNT", Align::Right),
                ("DESCRIPTION", Align::Left),
                ("CATEGORY", Align::Left),
                ("TAGS", Align::Left),
            ],
            rows,
        );
    }
}
