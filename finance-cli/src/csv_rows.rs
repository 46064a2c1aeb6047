//! The CSV `finance export` writes: `date,amount,description,category` under a header,
//! which `finance import` reads back.

use finance_core::domain::Movement;

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
            m.description.clone(),
            m.category.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    out.flush().map_err(|e| format!("writing CSV: {e}"))
}
