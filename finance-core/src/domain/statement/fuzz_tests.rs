//! The parsers under fuzzing: arbitrary text and mutations of well-formed files never
//! panic, and every line an error or a row names is inside the file. Cases per property:
//! `FINANCE_FUZZ_CASES` (256 by default; `.ci/run` runs many more, bounded in time). A
//! finding is kept below as a test of its own, and proptest keeps its seed in
//! `proptest-regressions/`.

use proptest::prelude::*;
use time::macros::datetime;

use super::samples::statement;
use super::{Format, import_rows, parse_statement};
use crate::domain::{Account, AccountId, Currency, UserId};

const FORMATS: [Format; 4] = [Format::Csv, Format::Ofx, Format::Qif, Format::Camt];

fn cases() -> u32 {
    std::env::var("FINANCE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn account() -> Account {
    let now = datetime!(2026-12-04 12:00 UTC);
    Account {
        reconciled_on: None,
        id: AccountId::random(),
        owner_id: UserId::random(),
        owner_email: None,
        role: crate::domain::Role::Owner,
        name: "Main".into(),
        currency: Currency::parse("EUR").expect("EUR"),
        balance: crate::domain::Money::zero(Currency::parse("EUR").expect("EUR")),
        archived: false,
        created_at: now,
    }
}

/// Parses and checks `text` as `format` the way an import does; panics only on a broken
/// promise (a line outside the file).
fn check(format: Format, text: &str) {
    let last = text.lines().count().max(1) as u64 + 1;
    match parse_statement(format, text) {
        Ok(rows) => {
            for r in &rows {
                assert!(
                    (1..=last).contains(&r.line),
                    "row line {} of {last}",
                    r.line
                );
            }
            if let Err(e) = import_rows(
                &rows,
                &account(),
                datetime!(2026-12-04 12:00 UTC),
                &crate::domain::UserRef::sample(),
            ) {
                for f in e.errors {
                    assert!(f.line.is_some_and(|l| (1..=last).contains(&l)), "{f:?}");
                }
            }
        }
        Err(e) => {
            assert!(e.errors.len() <= 20, "at most 20 errors");
            for f in e.errors {
                assert!(f.line.is_some_and(|l| (1..=last).contains(&l)), "{f:?}");
            }
        }
    }
}

/// One edit of a file: its characters, with a piece cut, repeated or replaced.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Cut(usize, usize),
    Repeat(usize, usize),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let n = chars.len().max(1);
        match e {
            Edit::Insert(at, s) => {
                let at = at % (chars.len() + 1);
                chars.splice(at..at, s.chars());
            }
            Edit::Cut(at, len) => {
                let at = at % n;
                let end = (at + len % 64).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            Edit::Repeat(at, len) => {
                let at = at % n;
                let end = (at + len % 256).min(chars.len());
                let piece: Vec<char> = chars[at.min(end)..end].to_vec();
                chars.splice(at..at, piece);
            }
        }
    }
    chars.into_iter().collect()
}

fn edit() -> impl Strategy<Value = Edit> {
    // Pieces that matter to the formats: their markers, line ends, and letters of more
    // than one byte.
    let piece = prop_oneof![
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("^\n".to_string()),
        Just("!Type:Bank\n".to_string()),
        Just("<STMTTRN>".to_string()),
        Just("</Ntry>".to_string()),
        Just("<Ntry>".to_string()),
        Just("\"".to_string()),
        Just(",".to_string()),
        Just("é".to_string()),
        Just("€".to_string()),
        Just("\u{feff}".to_string()),
        Just("&amp;".to_string()),
        any::<String>(),
    ];
    prop_oneof![
        (any::<usize>(), piece).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, n)| Edit::Cut(at, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, n)| Edit::Repeat(at, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        for format in FORMATS {
            check(format, &text);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        for format in FORMATS {
            check(format, &text);
        }
    }

    #[test]
    fn edited_files_never_panic(
        format in proptest::sample::select(FORMATS.to_vec()),
        rows in 1usize..6,
        edits in proptest::collection::vec(edit(), 1..8),
    ) {
        check(format, &apply(&statement(format, rows), &edits));
    }
}

#[test]
fn well_formed_files_import_whole() {
    for format in FORMATS {
        let rows = parse_statement(format, &statement(format, 50)).expect("parses");
        let rows = import_rows(
            &rows,
            &account(),
            datetime!(2026-12-04 12:00 UTC),
            &crate::domain::UserRef::sample(),
        )
        .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(rows.len(), 50, "{format:?}");
        assert!(rows.iter().any(|r| r.movement.description.contains('é')));
    }
}

/// Found by hand (issue 25): a QIF line starting with a letter of more than one byte.
#[test]
fn a_qif_line_may_start_with_any_letter() {
    for text in [
        "!Type:Bank\nD2026-10-01\nT-1.00\nPx\n€ note\n^\n",
        "!Type:Bank\né\n^\n",
    ] {
        let rows = parse_statement(Format::Qif, text).expect("parses");
        assert_eq!(rows.len(), 1);
        check(Format::Qif, text);
    }
}

/// OFX tags are matched case-blind, their values kept as written.
#[test]
fn ofx_tags_in_lower_case_are_read() {
    let text = "<OFX><CURDEF>EUR<BANKTRANLIST><stmttrn><dtposted>20261101<trnamt>-1.50\
                <fitid>a1<name>Café</stmttrn></BANKTRANLIST></OFX>";
    let rows = parse_statement(Format::Ofx, text).expect("parses");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].amount, "-1.50");
    assert_eq!(rows[0].description, "Café");
    assert_eq!(rows[0].external_id.as_deref(), Some("a1"));
}

/// Lines are counted right far into a file, and the line of an error is its own.
#[test]
fn lines_are_counted_through_the_file() {
    for format in [Format::Ofx, Format::Camt, Format::Qif, Format::Csv] {
        let text = statement(format, 300);
        let rows = parse_statement(format, &text).expect("parses");
        let last = rows.last().expect("rows");
        let line_text = text.lines().nth(last.line as usize - 1).expect("line");
        assert!(
            line_text.contains("299") || format == Format::Qif,
            "{format:?}: line {} is {line_text:?}",
            last.line
        );
    }
}
