//! Categories over all time: how many movements each has, and their sums.

use std::collections::BTreeMap;

use super::currency::Currency;
use super::money::MoneySum;

/// One category over all time: how many movements, and their sum per currency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategorySummary {
    /// `null` for movements without a category.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
    pub count: u64,
    pub totals: Vec<CategoryTotal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::CategoryTotalIn")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryTotal {
    pub currency: Currency,
    pub amount: MoneySum,
}

/// One row of the database's category aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySum {
    pub name: Option<String>,
    pub currency: Currency,
    pub count: u64,
    pub sum: i128,
}

/// The owner's categories, from the database's per (category, currency) rows: by name,
/// the uncategorised last.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryList {
    pub items: Vec<CategorySummary>,
}

pub fn categories(rows: Vec<CategorySum>) -> CategoryList {
    let mut grouped: BTreeMap<(bool, Option<String>), CategorySummary> = BTreeMap::new();
    for CategorySum {
        name,
        currency,
        count,
        sum,
    } in rows
    {
        let item = grouped
            .entry((name.is_none(), name.clone()))
            .or_insert_with(|| CategorySummary {
                name,
                count: 0,
                totals: Vec::new(),
            });
        item.count += count;
        item.totals.push(CategoryTotal {
            currency,
            amount: MoneySum::zero(currency).plus_minor(sum),
        });
    }
    let mut items: Vec<CategorySummary> = grouped.into_values().collect();
    for item in &mut items {
        item.totals.sort_by_key(|t| t.currency);
    }
    CategoryList { items }
}
