//! CSV files of movements: `date,amount,description[,category]`, an optional header row.

use std::path::Path;

use finance_core::domain::{Movement, MovementInput};

/// The rows of `path` with the line each came from.
pub fn read(path: &Path) -> Result<Vec<(u64, MovementInput)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), io_cause(&e)))?;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => format!("line {}: {e}", p.line()),
            None => format!("cannot read {}: {}", path.display(), io_cause(&e)),
        })?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        if i == 0
            && record
                .get(0)
                .is_some_and(|f| f.eq_ignore_ascii_case("date"))
        {
            continue;
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        if !(3..=4).contains(&record.len()) {
            return Err(format!(
                "line {line}: expected date,amount,description[,category], got {} field(s)",
                record.len()
            ));
        }
        let field = |n: usize| record.get(n).unwrap_or_default().to_string();
        rows.push((
            line,
            MovementInput {
                occurred_on: Some(field(0)),
                amount: field(1),
                description: field(2),
                category: record.get(3).filter(|c| !c.is_empty()).map(str::to_string),
            },
        ));
    }
    Ok(rows)
}

fn io_cause(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

/// Writes movements in the form [`read`] takes back.
pub fn write(movements: &[Movement]) -> Result<(), String> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let fail = |e: csv::Error| format!("writing CSV: {e}");
    out.write_record(["date", "amount", "description", "category"])
        .map_err(fail)?;
    for m in movements {
        out.write_record([
            m.occurred_on.to_string(),
            m.amount.to_string(),
            m.description.clone(),
            m.category.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    out.flush().map_err(|e| format!("writing CSV: {e}"))
}
