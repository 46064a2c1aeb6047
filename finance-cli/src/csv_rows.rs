//! The CSV `finance export` writes: `date,amount,description,category` under a header,
//! which `finance import` reads back. Text cells that a spreadsheet would run as a
//! formula start with `'` (the import takes it off); amounts stay numbers.

use finance_core::domain::{Movement, spreadsheet_safe};

/// Writes movements in the CSV form `finance import` reads back.
pub fn write(movements: &[Movement]) -> Result<(), String> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let fail = |e: csv::Error| format!("writing CSV: {e}");
    out.write_record(["date", "amount", "description", "category"])
        .map_err(fail)?;
    for m in movements {
        out.write_record([
            m.occurred_on.to_string(),
            m.amount.to_string(),
            spreadsheet_safe(&m.description).into_owned(),
            spreadsheet_safe(m.category.as_deref().unwrap_or_default()).into_owned(),
        ])
        .map_err(fail)?;
    }
    out.flush().map_err(|e| format!("writing CSV: {e}"))
}
