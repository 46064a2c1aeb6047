//! The import's rule for every format: each row checked against the account (its
//! currency, the amount's digits, the date, the text), and a key that recognises it when
//! the same file comes again.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{Errors, StatementRow};
use crate::domain::error::text;
use crate::domain::{
    Account, Currency, Money, Movement, MovementId, UserRef, ValidationError, entities::parse_date,
    parse_splits,
};

/// A row that passed, with the key it is recognised by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub key: String,
    pub movement: Movement,
}

/// Checks every row for `account`, naming the line of each failure; all or nothing.
/// The key is the bank's id when the file has one, else a hash of the date, amount,
/// description and the row's rank among equal rows of the file (two identical coffees on
/// one day are two movements, and stay two when the file is imported again).
pub fn import_rows(
    rows: &[StatementRow],
    account: &Account,
    now: OffsetDateTime,
    by: &UserRef,
) -> Result<Vec<ImportRow>, ValidationError> {
    let mut errors = Errors::default();
    let mut out = Vec::with_capacity(rows.len());
    let mut seen: std::collections::HashMap<(time::Date, i64, String), u32> = Default::default();
    for r in rows {
        if let Some(code) = &r.currency {
            match Currency::parse(code.trim()) {
                Ok(c) if c == account.currency => {}
                Ok(c) => {
                    errors.add(
                        r.line,
                        "currency",
                        format!(
                            "{c} in the file, but the account is in {}",
                            account.currency
                        ),
                    );
                    continue;
                }
                Err(_) => {
                    errors.add(
                        r.line,
                        "currency",
                        format!("{code:?} is not an ISO 4217 currency code"),
                    );
                    continue;
                }
            }
        }
        let date = parse_date("date", &r.date);
        let amount = Money::parse_nonzero(r.amount.trim(), account.currency);
        let description = text("description", r.description.trim(), 200);
        // A split row's category is its parts' (QIF writes `--Split--` or nothing there).
        let category = r
            .category
            .as_deref()
            .filter(|_| r.splits.is_empty())
            .map(|c| text("category", c.trim(), 50))
            .transpose();
        let splits = match (&amount, r.splits.is_empty()) {
            (_, true) => Ok(None),
            (Ok(total), false) => parse_splits(&r.splits, Some(*total), account.currency).map(Some),
            (Err(_), false) => Ok(None),
        };
        let mut failed = false;
        for e in [
            date.as_ref().err(),
            amount.as_ref().err(),
            description.as_ref().err(),
            category.as_ref().err(),
            splits.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        {
            for f in &e.errors {
                errors.add(r.line, &f.field, f.message.clone());
            }
            failed = true;
        }
        let (Ok(date), Ok(amount), Ok(description), Ok(category), Ok(splits), false) =
            (date, amount, description, category, splits, failed)
        else {
            continue;
        };
        let key = match &r.external_id {
            Some(id) => format!("id:{}", id.trim()),
            None => {
                let rank = seen
                    .entry((date, amount.minor(), description.clone()))
                    .or_insert(0);
                *rank += 1;
                let digest = Sha256::digest(format!(
                    "{date}\u{1f}{}\u{1f}{description}\u{1f}{rank}",
                    amount.minor()
                ));
                format!("row:{}", hex::encode(&digest[..16]))
            }
        };
        out.push(ImportRow {
            key,
            movement: Movement {
                reconciled: false,
                id: MovementId::random(),
                account_id: account.id,
                amount,
                description,
                category,
                occurred_on: date,
                transfer_id: None,
                schedule_id: None,
                created_at: now,
                updated_at: now,
                created_by: by.clone(),
                updated_by: by.clone(),
                splits,
                tags: Vec::new(),
                rule_id: None,
            },
        });
    }
    errors.finish(out)
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// Rows recorded now.
    pub added: u64,
    /// Rows recorded by an earlier import (the same bank id, or the same row), skipped.
    pub duplicates: u64,
}
