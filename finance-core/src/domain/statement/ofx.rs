//! OFX and QFX, version 1 (SGML: closing tags optional) and 2 (XML): each `<STMTTRN>` is a
//! row: `DTPOSTED` (`YYYYMMDD…`), `TRNAMT`, `FITID`, `NAME` and `MEMO`; the statement's
//! `CURDEF` is every row's currency.

use super::{Errors, LineCounter, StatementRow};

/// The value after `<TAG>` up to the next `<` (or end of line), unescaped; `upper` is
/// `text` upper-cased (tags are matched case-blind; values keep their case).
fn value(text: &str, upper: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = upper.find(&open)? + open.len();
    let rest = &text[start..];
    let end = rest.find(['<', '\n', '\r']).unwrap_or(rest.len());
    let v = rest[..end].trim();
    (!v.is_empty()).then(|| {
        v.replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
    })
}

pub(crate) fn parse(text: &str, errors: &mut Errors) -> Vec<StatementRow> {
    let upper = text.to_ascii_uppercase();
    if !upper.contains("<OFX>") {
        errors.add(1, "file", "is not OFX: there is no <OFX> element");
        return Vec::new();
    }
    let currency = value(&upper, &upper, "CURDEF");
    let mut rows = Vec::new();
    let mut lines = LineCounter::new(text);
    let mut from = 0;
    while let Some(at) = upper[from..].find("<STMTTRN>") {
        let start = from + at;
        let end = upper[start + 9..]
            .find("<STMTTRN>")
            .map(|n| start + 9 + n)
            .or_else(|| upper[start..].find("</BANKTRANLIST>").map(|n| start + n))
            .unwrap_or(upper.len());
        // Upper-casing keeps every byte offset: only ASCII letters change.
        let (block, block_upper) = (&text[start..end], &upper[start..end]);
        let line = lines.line_of(start);
        let field = |tag: &str| value(block, block_upper, tag);
        from = end;
        let Some(posted) = field("DTPOSTED") else {
            errors.add(line, "DTPOSTED", "the transaction has no date");
            continue;
        };
        let digits: String = posted.chars().take(8).collect();
        let date = if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
            format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..])
        } else {
            errors.add(
                line,
                "DTPOSTED",
                format!("{posted:?} is not a date written YYYYMMDD"),
            );
            continue;
        };
        let Some(amount) = field("TRNAMT") else {
            errors.add(line, "TRNAMT", "the transaction has no amount");
            continue;
        };
        let name = field("NAME");
        let memo = field("MEMO");
        let description = match (name, memo) {
            (Some(n), Some(m)) if n != m => format!("{n} {m}"),
            (Some(n), _) => n,
            (None, Some(m)) => m,
            (None, None) => String::new(),
        };
        rows.push(StatementRow {
            line,
            external_id: field("FITID"),
            date,
            amount: amount.replace('+', ""),
            description,
            category: None,
            currency: currency.clone(),
            splits: Vec::new(),
        });
    }
    rows
}
