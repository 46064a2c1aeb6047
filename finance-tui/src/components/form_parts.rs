//! A movement form's parts and tags: a part is typed as `CATEGORY AMOUNT` in the Split
//! field and added with Enter; what is left of the amount is shown as parts are added.

use finance_core::domain::{Currency, Money, SplitInput, ValidationError};

use super::Form;

impl Form {
    /// Whether the focus is on a Split field with a part typed in it (Enter adds it
    /// rather than saving).
    pub fn typing_part(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| f.key == "split" && !f.value.trim().is_empty())
    }

    /// Adds the part typed in the Split field, `CATEGORY AMOUNT` (the amount after the
    /// last space); a part that does not read so stays, with a message.
    pub fn add_part(&mut self) {
        let typed = self.value("split");
        match typed.trim().rsplit_once(' ') {
            Some((category, amount)) if !category.trim().is_empty() => {
                self.parts.push(SplitInput {
                    amount: amount.to_string(),
                    category: category.trim().to_string(),
                    description: None,
                });
                self.errors.retain(|e| !e.field.starts_with("split"));
                if let Some(f) = self.fields.iter_mut().find(|f| f.key == "split") {
                    f.value.clear();
                }
            }
            _ => {
                self.errors = ValidationError::new(
                    "split",
                    "type a part as CATEGORY AMOUNT, such as food -45.30",
                )
                .errors;
            }
        }
    }

    /// What is left of the amount for more parts (amount less the parts so far), while
    /// both read as amounts of `currency`.
    pub fn remainder(&self, currency: Currency) -> Option<Money> {
        let amount = Money::parse(self.value("amount").trim(), currency).ok()?;
        self.parts.iter().try_fold(amount, |left, p| {
            let part = Money::parse(p.amount.trim(), currency).ok()?;
            left.checked_sub(part).ok()
        })
    }

    /// The tags as typed: separated by spaces or commas.
    pub(super) fn tags(&self) -> Vec<String> {
        self.value("tags")
            .split([' ', ','])
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect()
    }
}
