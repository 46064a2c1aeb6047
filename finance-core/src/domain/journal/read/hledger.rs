//! The hledger syntax (ledger's, for what this service writes, too): transactions, their
//! postings and tags; directives that only declare are passed over, those that would
//! change what the postings mean are refused.

use super::lex::{PostingAmounts, comment_tags, date, posting_amounts};
use super::raw::{Problems, RawJournal, RawPosting, RawPrice, RawTxn, Section, Sink, close};

pub fn read(text: &str, journal: &mut RawJournal, problems: &mut Problems, sink: Sink<'_>) {
    let mut txn: Option<RawTxn> = None;
    // Lines indented under a directive or a periodic/auto rule: not postings of ours.
    let mut skipping = false;
    let mut in_comment = false;
    let mut section = Section::None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.trim_end_matches('\r');
        if in_comment {
            in_comment = line.trim() != "end comment";
            continue;
        }
        if line.trim().is_empty() {
            close(&mut txn, sink);
            skipping = false;
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let body = line.trim_start();
            match &mut txn {
                _ if skipping => {}
                Some(t) => {
                    if let Some(comment) = body.strip_prefix([';', '#']) {
                        // Tags before the first posting are the transaction's.
                        if t.postings.is_empty() {
                            t.tags.extend(comment_tags(comment));
                        }
                    } else {
                        match posting(n, body) {
                            Ok(p) => t.postings.push(p),
                            Err(e) => problems.push(n, e),
                        }
                    }
                }
                None => problems.push(n, "an indented line outside a transaction"),
            }
            continue;
        }
        close(&mut txn, sink);
        skipping = false;
        if line.starts_with([';', '#', '*', '%', '|']) {
            section.read(line, journal);
            continue;
        }
        section = Section::None;
        if line.starts_with(|c: char| c.is_ascii_digit()) {
            match head(n, line) {
                Ok(t) => txn = Some(t),
                Err(e) => problems.push(n, e),
            }
            continue;
        }
        let word = line.split_whitespace().next().unwrap_or("");
        match word {
            "comment" => in_comment = true,
            // Forecasts and automated postings apply only when asked (--forecast, --auto).
            "~" | "=" | "account" | "commodity" | "D" | "tag" | "payee" | "N" => skipping = true,
            "P" => match RawPrice::read(n, &line.trim_start()[1..]) {
                Ok(p) => journal.prices.push(p),
                Err(e) => problems.push(n, e),
            },
            "decimal-mark" if line.split_whitespace().nth(1) == Some(".") => {}
            "include" | "alias" | "apply" | "Y" | "year" | "decimal-mark" | "end" => {
                problems.push(
                    n,
                    format!("the {word:?} directive is not read here: send one file with full dates, account names and '.' decimals"),
                );
            }
            _ if word.starts_with('~') || word.starts_with('=') => skipping = true,
            _ => problems.push(
                n,
                "not a transaction (a date first) or a directive hledger knows",
            ),
        }
    }
    close(&mut txn, sink);
}

/// `DATE[=DATE2] [*|!] [(CODE)] DESCRIPTION [; COMMENT]`.
fn head(line: u64, text: &str) -> Result<RawTxn, String> {
    let (first, rest) = text.split_once([' ', '\t']).unwrap_or((text, ""));
    let primary = first.split('=').next().unwrap_or(first);
    let date =
        date(primary).ok_or_else(|| format!("{primary:?} is not a date such as 2026-01-31"))?;
    let (description, comment) = rest.split_once(';').unwrap_or((rest, ""));
    let mut description = description.trim();
    description = description
        .strip_prefix(['*', '!'])
        .map_or(description, str::trim_start);
    if description.starts_with('(')
        && let Some(end) = description.find(')')
    {
        description = description[end + 1..].trim_start();
    }
    Ok(RawTxn {
        line,
        date,
        description: description.trim().to_string(),
        tags: comment_tags(comment),
        postings: Vec::new(),
    })
}

/// `[*|!] ACCOUNT[  AMOUNT [@ PRICE] [= ASSERTION]] [; COMMENT]`: the account ends at two
/// spaces or a tab.
fn posting(line: u64, body: &str) -> Result<RawPosting, String> {
    let body = body.strip_prefix(['*', '!']).map_or(body, str::trim_start);
    let (body, _comment) = body.split_once(';').unwrap_or((body, ""));
    let end = [body.find("  "), body.find('\t')]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    let (account, rest) = body.split_at(end);
    let account = account.trim();
    if account.starts_with(['(', '[']) {
        return Err(format!(
            "{account} is a virtual posting: the service keeps only real ones"
        ));
    }
    let PostingAmounts {
        units: amount,
        price,
        assertion,
    } = posting_amounts(rest)?;
    Ok(RawPosting {
        line,
        account: account.to_string(),
        amount,
        price,
        assertion,
    })
}
