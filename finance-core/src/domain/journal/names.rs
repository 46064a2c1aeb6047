//! Account names in a journal: each of the user's accounts, and each category, mapped to
//! a name every tool accepts (Beancount is the strictest: components start with a capital
//! letter or a digit and hold only letters, digits and dashes), the same for one set of
//! accounts every time; two accounts whose names map alike are told apart by `-2`, `-3`…
//! in the order the accounts were made.

use std::collections::{BTreeMap, HashMap};

use crate::domain::{Account, AccountId, Currency};

/// One component of an account name: ASCII letters and digits kept, runs of anything
/// else one dash, the first letter capitalised; never empty.
pub fn component(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => "X".into(),
    }
}

/// The journal names of the user's accounts and of the categories, without their roots
/// (`Assets`, `Expenses`, …, which each format writes its own way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalNames {
    accounts: HashMap<AccountId, String>,
    /// In the order the accounts were made: the mapping written at the top of the file.
    listed: Vec<(String, String, Currency)>,
    categories: BTreeMap<String, String>,
}

impl JournalNames {
    /// Names for `accounts` (sorted here by creation, then id, so the mapping is stable)
    /// and for `categories`.
    pub fn new(accounts: &[Account], categories: &[String]) -> Self {
        let mut sorted: Vec<&Account> = accounts.iter().collect();
        sorted.sort_by_key(|a| (a.created_at, a.id));
        let mut taken: HashMap<String, u32> = HashMap::new();
        let mut names = HashMap::new();
        let mut listed = Vec::new();
        for a in sorted {
            let base = component(&a.name);
            let name = unique(&base, &mut taken);
            names.insert(a.id, name.clone());
            listed.push((name, a.name.clone(), a.currency));
        }
        let mut taken: HashMap<String, u32> = HashMap::new();
        let mut sorted: Vec<&String> = categories.iter().collect();
        sorted.sort();
        sorted.dedup();
        let mut cats = BTreeMap::new();
        // `Uncategorized` is the name of no category; a category of that name shares it.
        taken.insert(UNCATEGORIZED.into(), 1);
        for c in sorted {
            let name = unique(&component(c), &mut taken);
            cats.insert(c.clone(), name);
        }
        Self {
            accounts: names,
            listed,
            categories: cats,
        }
    }

    /// The account's name under its root (`Bank-Account`).
    pub fn account(&self, id: AccountId) -> Option<&str> {
        self.accounts.get(&id).map(String::as_str)
    }

    /// The category's name under `Expenses` or `Income`; `Uncategorized` for none (or one
    /// not known when the names were made).
    pub fn category(&self, category: Option<&str>) -> &str {
        category
            .and_then(|c| self.categories.get(c))
            .map_or(UNCATEGORIZED, String::as_str)
    }

    /// Every category's name, sorted, `Uncategorized` among them.
    pub fn category_names(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.categories.values().map(String::as_str).collect();
        all.push(UNCATEGORIZED);
        all.sort_unstable();
        all.dedup();
        all
    }

    /// `(journal name, name in the service, currency)` of each account, in creation
    /// order.
    pub fn accounts(&self) -> &[(String, String, Currency)] {
        &self.listed
    }

    /// `(category, journal name)`, sorted by category.
    pub fn categories(&self) -> impl Iterator<Item = (&str, &str)> {
        self.categories
            .iter()
            .map(|(c, n)| (c.as_str(), n.as_str()))
    }
}

/// The component for movements without a category.
pub const UNCATEGORIZED: &str = "Uncategorized";

fn unique(base: &str, taken: &mut HashMap<String, u32>) -> String {
    let mut name = base.to_string();
    let mut n = 1;
    while taken.contains_key(&name) {
        n += 1;
        name = format!("{base}-{n}");
    }
    taken.insert(name.clone(), 1);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_what_every_tool_accepts() {
        assert_eq!(component("Bank account"), "Bank-account");
        assert_eq!(component("  café: ünïcode!! "), "Caf-n-code");
        assert_eq!(component("2026 savings"), "2026-savings");
        assert_eq!(component("日本"), "X");
        assert_eq!(component("a;b\"c#d"), "A-b-c-d");
        assert_eq!(component("assets:bank"), "Assets-bank");
    }
}
