//! Splits: one movement's amount divided between categories (a receipt that is food and
//! household). Parts never move a balance; they say where the movement's amount went.

use super::currency::Currency;
use super::entities::{CATEGORY_MAX, DESCRIPTION_MAX};
use super::error::{ValidationError, Validator, text};
use super::money::Money;

/// Most parts one movement may have: a long receipt, not a ledger.
pub const MAX_PARTS: usize = 50;

/// One part of a split movement: an amount in the account's currency and its category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Split {
    pub amount: Money,
    pub category: String,
    pub description: Option<String>,
}

/// A part as sent: `amount` a decimal string in the account's currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::nonzero_amount))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::category))]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(schema_with = super::schemas::optional_description))]
    pub description: Option<String>,
}

impl From<&Split> for SplitInput {
    fn from(s: &Split) -> Self {
        Self {
            amount: s.amount.to_string(),
            category: s.category.clone(),
            description: s.description.clone(),
        }
    }
}

/// Checks the parts of a movement of `total`: at least two, each non-zero in `currency`,
/// summing exactly to `total`. Each failure names its part (`splits[1].amount`).
pub fn parse_splits(
    parts: &[SplitInput],
    total: Option<Money>,
    currency: Currency,
) -> Result<Vec<Split>, ValidationError> {
    if parts.len() < 2 {
        return Err(ValidationError::new(
            "splits",
            "a split has at least two parts",
        ));
    }
    if parts.len() > MAX_PARTS {
        return Err(ValidationError::new(
            "splits",
            format!("a split has at most {MAX_PARTS} parts"),
        ));
    }
    let mut v = Validator::new();
    let parsed: Vec<Option<Split>> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let amount = v.check(
                Money::parse_nonzero(p.amount.trim(), currency)
                    .map_err(|e| e.for_field(&format!("splits[{i}].amount"))),
            );
            let category = v.check(text(
                &format!("splits[{i}].category"),
                &p.category,
                CATEGORY_MAX,
            ));
            let description = v.check(
                p.description
                    .as_deref()
                    .map(|d| text(&format!("splits[{i}].description"), d, DESCRIPTION_MAX))
                    .transpose(),
            );
            Some(Split {
                amount: amount?,
                category: category?,
                description: description?,
            })
        })
        .collect();
    let parts = v.finish(|| parsed.into_iter().collect::<Option<Vec<Split>>>())?;
    if let Some(total) = total {
        let sum: i128 = parts.iter().map(|p| i128::from(p.amount.minor())).sum();
        if sum != i128::from(total.minor()) {
            let sum = i64::try_from(sum)
                .map(|s| Money::from_minor(s, currency).to_string())
                .unwrap_or_else(|_| "out of range".into());
            return Err(ValidationError::new(
                "splits",
                format!("the parts sum to {sum}, the amount is {total}"),
            ));
        }
    }
    Ok(parts)
}

/// How parts are kept in a movement's row: minor units, so the text needs no currency.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredPart {
    a: i64,
    c: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<String>,
}

/// What a patch makes of a record's category and parts, as input to parse again: what is
/// not sent stays; new parts replace the category (one sent with them is refused by the
/// parse); `Some(None)` clears either.
pub(crate) fn patched_parts(
    category: &Option<Option<String>>,
    splits: &Option<Option<Vec<SplitInput>>>,
    before_category: &Option<String>,
    before_splits: Option<&[Split]>,
) -> (Option<String>, Option<Vec<SplitInput>>) {
    let category = match (category, splits) {
        (Some(sent), _) => sent.clone(),
        (None, Some(Some(_))) => None,
        (None, _) => before_category.clone(),
    };
    let splits = splits
        .clone()
        .unwrap_or_else(|| before_splits.map(|parts| parts.iter().map(SplitInput::from).collect()));
    (category, splits)
}

/// The parts as stored text.
pub fn splits_to_text(parts: &[Split]) -> String {
    let stored: Vec<StoredPart> = parts
        .iter()
        .map(|p| StoredPart {
            a: p.amount.minor(),
            c: p.category.clone(),
            d: p.description.clone(),
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_default()
}

/// The parts read back from stored text, in `currency`.
pub fn splits_from_text(text: &str, currency: Currency) -> Result<Vec<Split>, String> {
    let stored: Vec<StoredPart> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(stored
        .into_iter()
        .map(|p| Split {
            amount: Money::from_minor(p.a, currency),
            category: p.c,
            description: p.d,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(amount: &str, category: &str) -> SplitInput {
        SplitInput {
            amount: amount.into(),
            category: category.into(),
            description: None,
        }
    }

    fn eur() -> Currency {
        Currency::parse("EUR").expect("EUR")
    }

    fn total(text: &str) -> Option<Money> {
        Money::parse(text, eur()).ok()
    }

    #[test]
    fn parts_must_sum_exactly_and_be_checked_one_by_one() {
        let ok = parse_splits(
            &[part("-45.30", "food"), part("-12", "household")],
            total("-57.30"),
            eur(),
        )
        .expect("valid");
        assert_eq!(ok[1].amount.to_string(), "-12.00");
        let off = parse_splits(
            &[part("-45.30", "food"), part("-12", "household")],
            total("-57.31"),
            eur(),
        )
        .expect_err("one cent off");
        assert_eq!(off.errors[0].field, "splits");
        let one = parse_splits(&[part("-1", "food")], total("-1"), eur()).expect_err("one");
        assert_eq!(one.errors[0].field, "splits");
        let bad = parse_splits(
            &[part("0", "food"), part("-1.001", ""), part("-1", "x")],
            total("-1"),
            eur(),
        )
        .expect_err("bad parts");
        let fields: Vec<&str> = bad.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["splits[0].amount", "splits[1].amount", "splits[1].category"]
        );
    }

    #[test]
    fn stored_text_reads_back_the_same_parts() {
        let parts = parse_splits(
            &[
                SplitInput {
                    description: Some("soap".into()),
                    ..part("-2.50", "household")
                },
                part("10", "refund"),
            ],
            total("7.50"),
            eur(),
        )
        .expect("valid");
        let text = splits_to_text(&parts);
        assert_eq!(splits_from_text(&text, eur()).expect("read"), parts);
    }
}
