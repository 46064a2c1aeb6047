//! ISO 20022 camt.053 (bank-to-customer statement): each `Ntry` is a row: `Amt` (with its
//! `Ccy`), `CdtDbtInd` (`DBIT` is money out), `BookgDt`/`Dt` (else `ValDt`), the bank's
//! reference (`AcctSvcrRef`, else `NtryRef`), and a description from the remittance
//! information (`Ustrd`), else `AddtlNtryInf`.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::{Errors, LineCounter, StatementRow};

#[derive(Default)]
struct Entry {
    line: u64,
    amount: Option<String>,
    currency: Option<String>,
    debit: Option<bool>,
    booked: Option<String>,
    valued: Option<String>,
    acct_ref: Option<String>,
    entry_ref: Option<String>,
    remittance: Vec<String>,
    info: Option<String>,
}

pub(crate) fn parse(text: &str, errors: &mut Errors) -> Vec<StatementRow> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut entry: Option<Entry> = None;
    let mut rows = Vec::new();
    let mut saw_document = false;
    let mut lines = LineCounter::new(text);
    loop {
        // Where the next event starts: past the whitespace before it, on the line of its `<`.
        let mut at = reader.buffer_position() as usize;
        while text
            .as_bytes()
            .get(at)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            at += 1;
        }
        match reader.read_event() {
            Err(e) => {
                errors.add(
                    lines.line_of(at),
                    "file",
                    format!("is not well-formed XML: {e}"),
                );
                return Vec::new();
            }
            Ok(Event::Eof) => {
                if let Some(open) = path.last() {
                    errors.add(
                        lines.line_of(text.len()),
                        "file",
                        format!("ends inside <{open}>: it is cut short"),
                    );
                    return Vec::new();
                }
                break;
            }
            Ok(Event::Start(s)) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                if name == "Document" {
                    saw_document = true;
                }
                if name == "Ntry" {
                    entry = Some(Entry {
                        line: lines.line_of(at),
                        ..Default::default()
                    });
                }
                if name == "Amt"
                    && path.last().is_some_and(|p| p == "Ntry")
                    && let Some(e) = entry.as_mut()
                {
                    e.currency = s
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"Ccy")
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                if path.pop().as_deref() == Some("Ntry")
                    && let Some(e) = entry.take()
                {
                    rows.push(row(e, errors));
                }
            }
            Ok(Event::Text(t)) => {
                let Some(e) = entry.as_mut() else { continue };
                let value = t.decode().map(|v| v.into_owned()).unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or("");
                let grand = path
                    .len()
                    .checked_sub(2)
                    .and_then(|i| path.get(i))
                    .map(String::as_str);
                match (grand, parent) {
                    (Some("Ntry"), "Amt") => e.amount = Some(value),
                    (Some("Ntry"), "CdtDbtInd") => e.debit = Some(value == "DBIT"),
                    (Some("BookgDt"), "Dt") => e.booked = Some(value),
                    (Some("BookgDt"), "DtTm") => e.booked = Some(value.chars().take(10).collect()),
                    (Some("ValDt"), "Dt") => e.valued = Some(value),
                    (Some("Ntry"), "AcctSvcrRef") => e.acct_ref = Some(value),
                    (Some("Ntry"), "NtryRef") => e.entry_ref = Some(value),
                    (Some("RmtInf"), "Ustrd") => e.remittance.push(value),
                    (Some("Ntry"), "AddtlNtryInf") => e.info = Some(value),
                    _ => {}
                }
            }
            Ok(_) => {}
        }
    }
    if !saw_document {
        errors.add(1, "file", "is not camt.053: there is no Document element");
    }
    rows
}

fn row(e: Entry, errors: &mut Errors) -> StatementRow {
    if e.debit.is_none() {
        errors.add(
            e.line,
            "CdtDbtInd",
            "the entry does not say credit or debit",
        );
    }
    if e.amount.is_none() {
        errors.add(e.line, "Amt", "the entry has no amount");
    }
    let amount = e.amount.unwrap_or_default();
    let amount = match e.debit {
        Some(true) => format!("-{}", amount.trim_start_matches('-')),
        _ => amount,
    };
    let description = if e.remittance.is_empty() {
        e.info.unwrap_or_default()
    } else {
        e.remittance.join(" ")
    };
    StatementRow {
        line: e.line,
        external_id: e.acct_ref.or(e.entry_ref),
        date: e.booked.or(e.valued).unwrap_or_default(),
        amount,
        description,
        category: None,
        currency: e.currency,
        splits: Vec::new(),
    }
}
