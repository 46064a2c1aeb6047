//! A transaction's postings balance, as the tools check them: the amounts (at their
//! price, where they have one) sum to zero in each commodity; one posting may leave its
//! amount out, and is given what balances the others.

use std::collections::BTreeMap;

use super::lex::{Amount, Dec};
use super::raw::RawTxn;
use super::reader::weight;

/// Each posting's amount, the one left out filled in.
pub fn amounts(t: &RawTxn) -> Result<Vec<Amount>, (u64, String)> {
    let missing: Vec<usize> = (0..t.postings.len())
        .filter(|i| t.postings[*i].amount.is_none())
        .collect();
    if missing.len() > 1 {
        return Err((
            t.postings[missing[1]].line,
            "only one posting of a transaction may leave its amount out".into(),
        ));
    }
    let mut sums: BTreeMap<String, Dec> = BTreeMap::new();
    let mut priced = false;
    for p in &t.postings {
        let Some(amount) = &p.amount else { continue };
        priced |= p.price.is_some();
        let w = weight(amount, p.price.as_ref()).ok_or((p.line, "out of range".to_string()))?;
        let sum = sums.entry(w.commodity).or_insert(Dec::ZERO);
        *sum = sum
            .add(w.value)
            .ok_or((p.line, "out of range".to_string()))?;
    }
    let left: Vec<(&String, &Dec)> = sums.iter().filter(|(_, v)| !v.is_zero()).collect();
    let mut amounts: Vec<Amount> = Vec::with_capacity(t.postings.len());
    for p in &t.postings {
        match &p.amount {
            Some(a) => amounts.push(a.clone()),
            None => {
                let filled = match &left[..] {
                    [] => Amount {
                        value: Dec::ZERO,
                        commodity: sums.keys().next().cloned().unwrap_or_default(),
                    },
                    [(commodity, value)] => Amount {
                        value: value.neg(),
                        commodity: (*commodity).clone(),
                    },
                    _ => {
                        return Err((
                            p.line,
                            "its amount cannot be left out: the others leave several commodities over".into(),
                        ));
                    }
                };
                amounts.push(filled);
            }
        }
    }
    // Two postings in two commodities without a price: the tools infer the conversion.
    let converted = missing.is_empty() && !priced && t.postings.len() == 2 && left.len() == 2;
    if missing.is_empty() && !left.is_empty() && !converted {
        let over: Vec<String> = left.iter().map(|(c, v)| format!("{v} {c}")).collect();
        return Err((
            t.line,
            format!("the postings do not balance: {} left over", over.join(", ")),
        ));
    }
    Ok(amounts)
}
