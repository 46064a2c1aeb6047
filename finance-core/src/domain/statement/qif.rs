//! QIF: `!Type:Bank` (or Cash, CCard…), then records of one-letter fields ending with `^`:
//! `D` date, `T` (or `U`) amount, `P` payee, `M` memo, `L` category, and a split's
//! parts as `S` category, `E` memo, `$` amount. Dates are written
//! `YYYY-MM-DD`, or `MM/DD/YYYY`, `MM/DD'YY` and `MM/DD/YY` as Quicken writes them (US
//! order).

use super::{Errors, StatementRow};

fn date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.len() == 10 && raw.as_bytes()[4] == b'-' {
        return Some(raw.to_string());
    }
    let (md, year) = raw.split_once('\'').or_else(|| raw.rsplit_once('/'))?;
    let (m, d) = md.split_once('/')?;
    let (m, d, y): (u32, u32, u32) = (
        m.trim().parse().ok()?,
        d.trim().parse().ok()?,
        year.trim().parse().ok()?,
    );
    let y = match y {
        0..=69 => 2000 + y,
        70..=99 => 1900 + y,
        _ => y,
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

pub(crate) fn parse(text: &str, errors: &mut Errors) -> Vec<StatementRow> {
    let mut rows = Vec::new();
    let mut current: Option<(u64, StatementRow)> = None;
    let mut typed = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let l = raw.trim_end_matches('\r');
        if l.trim().is_empty() {
            continue;
        }
        if l.starts_with('!') {
            typed = true;
            continue;
        }
        if !typed {
            errors.add(
                line,
                "file",
                "is not QIF: it does not start with a !Type line",
            );
            return Vec::new();
        }
        // The field's letter is a char, not a byte: a line may start with any letter.
        let mut chars = l.chars();
        let code = chars.next().unwrap_or(' ');
        let value = chars.as_str().trim().to_string();
        let row = &mut current
            .get_or_insert_with(|| {
                (
                    line,
                    StatementRow {
                        line,
                        external_id: None,
                        date: String::new(),
                        amount: String::new(),
                        description: String::new(),
                        category: None,
                        currency: None,
                        splits: Vec::new(),
                    },
                )
            })
            .1;
        match code {
            'D' => match date(&value) {
                Some(d) => row.date = d,
                None => errors.add(line, "D", format!("{value:?} is not a date")),
            },
            // Thousands separators are written by some banks: "1,234.56".
            'T' | 'U' => row.amount = value.replace(',', ""),
            'P' => row.description = value,
            'M' if row.description.is_empty() => row.description = value,
            'M' => {}
            'L' => row.category = (!value.is_empty()).then_some(value),
            // A split: `S` opens a part with its category, `E` its memo, `$` its amount.
            'S' => row.splits.push(crate::domain::SplitInput {
                amount: String::new(),
                category: value,
                description: None,
            }),
            'E' | '$' => match row.splits.last_mut() {
                Some(part) if code == 'E' => {
                    part.description = (!value.is_empty()).then_some(value)
                }
                Some(part) => part.amount = value.replace(',', ""),
                None => errors.add(line, &code.to_string(), "comes before any S line"),
            },
            '^' => {
                if let Some((_, r)) = current.take() {
                    rows.push(r);
                }
            }
            _ => {}
        }
    }
    if let Some((line, _)) = current {
        errors.add(line, "line", "the record has no closing ^");
    }
    rows
}
