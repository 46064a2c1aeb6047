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

pub(crate) fn parse(text: &str, errors: &mut Errors) -> Vec<StatementRow> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut columns: Option<Vec<String>> = None;
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
            columns = Some(names);
            continue;
        }
        let get = |name: &str, position: usize| -> Option<String> {
            let at = match &columns {
                Some(names) => names.iter().position(|n| n == name)?,
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
            description: get("description", 2).unwrap_or_default(),
            category: get("category", 3),
            currency: columns.as_ref().and_then(|_| get("currency", usize::MAX)),
        });
    }
    rows
}
