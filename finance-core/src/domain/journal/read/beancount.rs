//! The Beancount syntax: transactions with their postings and tags, `open` (an account's
//! currency) and `balance` (a check, and a reconciliation); what only declares or
//! annotates is passed over, what would add postings unseen (`pad`) is refused.

use super::lex::{PostingAmounts, amount, date, posting_amounts};
use super::raw::{
    Problems, RawBalance, RawJournal, RawPosting, RawPrice, RawTxn, Section, Sink, close,
};

pub fn read(text: &str, journal: &mut RawJournal, problems: &mut Problems, sink: Sink<'_>) {
    let mut txn: Option<RawTxn> = None;
    let mut pushed: Vec<String> = Vec::new();
    let mut section = Section::None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            close(&mut txn, sink);
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let body = line.trim_start();
            if let Some(t) = &mut txn
                && !body.starts_with(';')
                && !is_metadata(body)
            {
                match posting(n, body) {
                    Ok(p) => t.postings.push(p),
                    Err(e) => problems.push(n, e),
                }
            }
            continue;
        }
        close(&mut txn, sink);
        if line.starts_with([';', '*', '#']) {
            section.read(line, journal);
            continue;
        }
        section = Section::None;
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        let Some(day) = date(first).filter(|_| first.contains('-')) else {
            match first {
                "option" | "plugin" => {}
                "pushtag" => pushed.extend(words.next().map(|t| t.trim_start_matches('#').into())),
                "poptag" => {
                    let tag = words.next().unwrap_or("").trim_start_matches('#');
                    pushed.retain(|t| t != tag);
                }
                "include" => problems.push(n, "include is not read here: send one file"),
                _ => problems.push(n, "not a directive Beancount knows (a date first)"),
            }
            continue;
        };
        let keyword = words.next().unwrap_or("");
        // `first` and `keyword` are the text's first words: prefixes once it is trimmed
        // the same way (any Unicode space).
        let after_first = line.trim_start()[first.len()..].trim_start();
        let rest = after_first[keyword.len()..].trim();
        match keyword {
            "*" | "!" | "txn" => match head(n, day, rest, &pushed) {
                Ok(t) => txn = Some(t),
                Err(e) => problems.push(n, e),
            },
            "open" => {
                let mut parts = rest.split_whitespace();
                let account = parts.next().unwrap_or("").to_string();
                let currencies: Vec<&str> = parts
                    .next()
                    .filter(|c| !c.starts_with('"'))
                    .map(|c| c.split(',').collect())
                    .unwrap_or_default();
                if let [only] = currencies[..] {
                    journal.currencies.insert(account, (n, only.to_string()));
                }
            }
            "balance" => match balance(n, day, rest) {
                Ok(b) => journal.balances.push(b),
                Err(e) => problems.push(n, e),
            },
            "price" => match RawPrice::read(n, &format!("{first} {rest}")) {
                Ok(p) => journal.prices.push(p),
                Err(e) => problems.push(n, e),
            },
            "close" | "commodity" | "note" | "document" | "event" | "query" | "custom" => {}
            "pad" => problems.push(
                n,
                "pad is not read here: write the transaction that brings the balance in",
            ),
            _ => problems.push(n, format!("{keyword:?} is not a Beancount directive")),
        }
    }
    close(&mut txn, sink);
}

/// `key: value` under a transaction or a posting (keys start with a small letter,
/// accounts with a capital).
fn is_metadata(body: &str) -> bool {
    body.split_once(':').is_some_and(|(key, _)| {
        key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// `["payee"] "narration" [#tag] [^link] [; comment]` after the flag.
fn head(line: u64, date: time::Date, rest: &str, pushed: &[String]) -> Result<RawTxn, String> {
    let mut strings = Vec::new();
    let mut tags: Vec<(String, String)> =
        pushed.iter().map(|t| (t.clone(), String::new())).collect();
    let mut rest = rest.trim_start();
    while !rest.is_empty() && !rest.starts_with(';') {
        if let Some(quoted) = rest.strip_prefix('"') {
            let (text, after) = string(quoted).ok_or("a string without its closing '\"'")?;
            strings.push(text);
            rest = after.trim_start();
        } else {
            let (word, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            if let Some(tag) = word.strip_prefix('#') {
                tags.push((tag.to_string(), String::new()));
            } else if !word.starts_with('^') {
                return Err(format!("{word:?}: expected a \"string\", #tag or ^link"));
            }
            rest = after.trim_start();
        }
    }
    let description = match &strings[..] {
        [narration] => narration.clone(),
        [payee, narration] if payee.is_empty() => narration.clone(),
        [payee, narration] if narration.is_empty() => payee.clone(),
        [payee, narration] => format!("{payee} | {narration}"),
        [] => String::new(),
        _ => return Err("at most two strings: the payee and the narration".into()),
    };
    Ok(RawTxn {
        line,
        date,
        description,
        tags,
        postings: Vec::new(),
    })
}

/// A string's content up to its closing quote (`\"` and `\\` escaped), and what follows.
fn string(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &text[i + 1..])),
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    None
}

/// `[flag] Account [AMOUNT [{cost}] [@ PRICE | @@ TOTAL]] [; comment]`.
fn posting(line: u64, body: &str) -> Result<RawPosting, String> {
    let body = match body.split_once(' ') {
        Some((flag, rest)) if flag.len() == 1 && !flag.starts_with(char::is_alphanumeric) => {
            rest.trim_start()
        }
        _ => body,
    };
    let (body, _comment) = body.split_once(';').unwrap_or((body, ""));
    let (account, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    if rest.contains('{') {
        return Err("costs ({…}, lots) are not read here: amounts and prices only".into());
    }
    let PostingAmounts {
        units: amount,
        price,
        ..
    } = posting_amounts(rest)?;
    Ok(RawPosting {
        line,
        account: account.to_string(),
        amount,
        price,
        assertion: None,
    })
}

/// `Account NUMBER CURRENCY`, checked at the start of its day: the end of the day before.
fn balance(line: u64, day: time::Date, rest: &str) -> Result<RawBalance, String> {
    let (account, value) = rest
        .split_once(char::is_whitespace)
        .ok_or("balance needs an account and an amount")?;
    if value.contains('~') {
        return Err("a balance with a tolerance (~) is not read here".into());
    }
    Ok(RawBalance {
        line,
        day: day
            .previous_day()
            .ok_or("a balance on the first day there is")?,
        account: account.to_string(),
        amount: amount(value)?,
    })
}
