//! CSV: `date,amount,description[,category]`, or any order of columns named by a header
//! (`date`, `amount`, `description`, `category`, `id`, `currency`).

use super::{Errors, StatementRow};

const KNOWN: [&str; 6] = [
    "date",
    "amount",
    "description",
    "category",
    "id",
    "currency",
];

/// Starts a text cell with `'` when a spreadsheet would read it as a formula (`=`, `+`,
/// `-`, `@`, tab or carriage return first: OWASP's advice against CSV injection), so a
/// description like `=HYPERLINK(…)` is shown, not run. [`parse`] takes the `'` off again,
/// so an exported file imports back as it was.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written before [`spreadsheet_safe`].
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

pub(crate) fn parse(text: &str, errors: &mut Errors) -> Vec<StatementRow> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // Where each known column is, found once from the header (looking it up per row made
    // a header of many columns quadratic).
    let mut columns: Option<[Option<usize>; 6]> = None;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i as u64 + 1, |p| p.line());
                errors.add(line, "line", format!("is not CSV: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if i == 0 && record.iter().any(|f| f.eq_ignore_ascii_case("date")) {
            let names: Vec<String> = record.iter().map(|f| f.to_ascii_lowercase()).collect();
            for n in &names {
                if !KNOWN.contains(&n.as_str()) {
                    errors.add(line, n, "is not a column this import knows (date, amount, description, category, id, currency)");
                }
            }
            for needed in ["date", "amount", "description"] {
                if !names.iter().any(|n| n == needed) {
                    errors.add(line, needed, "the header has no such column");
                }
            }
            columns = Some(KNOWN.map(|k| names.iter().position(|n| n == k)));
            continue;
        }
        let get = |name: &str, position: usize| -> Option<String> {
            let at = match &columns {
                Some(found) => KNOWN
                    .iter()
                    .position(|k| *k == name)
                    .and_then(|k| found[k])?,
                None => position,
            };
            record.get(at).map(str::to_string).filter(|v| !v.is_empty())
        };
        if columns.is_none() && !(3..=4).contains(&record.len()) {
            errors.add(
                line,
                "line",
                format!(
                    "expected date,amount,description[,category], got {} field(s)",
                    record.len()
                ),
            );
            continue;
        }
        rows.push(StatementRow {
            line,
            external_id: columns.as_ref().and_then(|_| get("id", usize::MAX)),
            date: get("date", 0).unwrap_or_default(),
            amount: get("amount", 1).unwrap_or_default(),
            description: get("description", 2)
                .map(|d| unguarded(&d).to_string())
                .unwrap_or_default(),
            category: get("category", 3).map(|c| unguarded(&c).to_string()),
            currency: columns.as_ref().and_then(|_| get("currency", usize::MAX)),
            splits: Vec::new(),
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_read_back_as_they_were() {
        for (text, written) in [
            ("=1+1", "'=1+1"),
            ("+33 call", "'+33 call"),
            ("-rent", "'-rent"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("Coffee", "Coffee"),
            ("'quoted'", "'quoted'"),
        ] {
            assert_eq!(spreadsheet_safe(text), written);
            let file = format!(
                "date,amount,description,category\n2026-11-01,-1.00,\"{written}\",\"{written}\"\n"
            );
            let mut errors = super::super::Errors::default();
            let rows = parse(&file, &mut errors);
            // Guarded, even a leading tab survives the reader's trimming.
            assert_eq!(rows[0].description, text, "{text:?}");
            assert_eq!(rows[0].category.as_deref(), Some(text));
        }
    }
}
