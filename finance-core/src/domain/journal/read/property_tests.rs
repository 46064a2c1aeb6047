//! Random books written by the exporter, read back and written again to the same text;
//! and any text at all read or refused by line.

use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::date;

use super::tests::TODAY;
use super::*;
use crate::domain::journal::tests::account;
use crate::domain::journal::{JournalNames, JournalWriter};
use crate::domain::{Account, Currency, Money, UserId, UserRef};

/// The journal of `accounts` and `import`'s movements, transfers and reconciliations, as
/// the export writes it, without the ids (which an import makes anew).
fn written(format: JournalFormat, accounts: &[Account], import: &JournalImport) -> String {
    let categories: Vec<String> = import
        .movements
        .iter()
        .flat_map(|m| {
            m.categories()
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let names = JournalNames::new(accounts, &categories);
    let w = JournalWriter {
        format,
        names: &names,
    };
    let currencies: Vec<Currency> = accounts.iter().map(|a| a.currency).collect();
    let mut text = w.header(&currencies, &["trip".into()]);
    for m in &import.movements {
        match m.transfer_id {
            None => text.push_str(&w.movement(m)),
            Some(id) if m.amount.minor() < 0 => {
                let t = import
                    .transfers
                    .iter()
                    .find(|t| t.id == id)
                    .expect("transfer");
                text.push_str(&w.transfer(t));
            }
            Some(_) => {}
        }
    }
    for r in &import.reconciliations {
        text.push_str(&w.assertion(r.account_id, r.date, r.balance));
    }
    without_ids(&text)
}

/// `text` with every UUID written as `ID`.
fn without_ids(text: &str) -> String {
    let shape = |w: &str| {
        w.len() == 36
            && w.char_indices().all(|(i, c)| {
                if matches!(i, 8 | 13 | 18 | 23) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text.get(i..i + 36).filter(|w| shape(w)) {
            Some(_) => {
                out.push_str("ID");
                i += 36;
            }
            None => {
                let c = text[i..].chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

type Row = (usize, i64, Option<String>, bool, bool);

fn books_of(rows: &[Row]) -> (Vec<Account>, JournalImport) {
    let accounts = vec![
        account("Bank account", "EUR", 1),
        account("Bank-account", "JPY", 2),
        account("Tokyo 日本", "BHD", 3),
        // Named apart in the service, alike in a journal.
        account("Bank, account", "EUR", 4),
    ];
    let by = UserRef::sample();
    let now = OffsetDateTime::UNIX_EPOCH;
    let mut movements = Vec::new();
    let mut transfers = Vec::new();
    for (i, (a, minor, category, split, transfer)) in rows.iter().enumerate() {
        let on = date!(2026 - 01 - 01) + time::Duration::days(i as i64 / 3);
        let account = &accounts[*a];
        let amount = Money::from_minor(*minor, account.currency);
        if *transfer {
            let other = &accounts[(a + 1) % accounts.len()];
            let received = Money::from_minor(minor.abs(), other.currency);
            let sent = Money::from_minor(-minor.abs(), account.currency);
            let t = crate::domain::Transfer::between(
                (account.id, sent),
                (other.id, received),
                "move; \"it\" #1".into(),
                on,
                now,
                &by,
            );
            movements.push(t.from.clone());
            movements.push(t.to.clone());
            transfers.push(t);
            continue;
        }
        let mut m = crate::domain::NewMovement {
            amount,
            description: "a; b \"c\" #d é".into(),
            category: category.clone(),
            occurred_on: on,
            splits: None,
            tags: vec!["trip".into()],
        }
        .into_movement(account.id, now, &by);
        if *split && minor.abs() > 1 {
            let half = Money::from_minor(minor / 2, account.currency);
            let rest = Money::from_minor(minor - minor / 2, account.currency);
            m.category = None;
            m.splits = Some(vec![
                crate::domain::Split {
                    amount: half,
                    category: "food".into(),
                    description: None,
                },
                crate::domain::Split {
                    amount: rest,
                    category: "Home & garden".into(),
                    description: None,
                },
            ]);
        }
        movements.push(m);
    }
    // The first account reconciled on the day of its last movement.
    let first: Vec<&crate::domain::Movement> = movements
        .iter()
        .filter(|m| m.account_id == accounts[0].id)
        .collect();
    let reconciliations = first
        .last()
        .map(|last| crate::domain::Reconciliation {
            id: crate::domain::ReconciliationId::random(),
            account_id: accounts[0].id,
            date: last.occurred_on,
            balance: Money::from_minor(
                first.iter().map(|m| m.amount.minor()).sum(),
                accounts[0].currency,
            ),
            currency: accounts[0].currency,
            locked: first.len() as u64,
            created_at: now,
            created_by: by.id,
        })
        .into_iter()
        .collect();
    let import = JournalImport {
        accounts: accounts.clone(),
        movements,
        transfers,
        reconciliations,
        rates: Vec::new(),
    };
    (accounts, import)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Written, read back and written again: the same journal, in each syntax.
    #[test]
    fn an_export_read_back_writes_the_same_journal(
        rows in proptest::collection::vec(
            (0usize..4, (-1_000_000i64..1_000_000).prop_filter("not zero", |m| *m != 0),
             proptest::option::of("[a-z][a-z ]{0,6}[a-z]"), any::<bool>(), proptest::bool::weighted(0.2)),
            1..30,
        ),
        format in prop_oneof![Just(JournalFormat::Hledger), Just(JournalFormat::Ledger), Just(JournalFormat::Beancount)],
    ) {
        let (accounts, import) = books_of(&rows);
        let first = written(format, &accounts, &import);
        let books = read_journal(&first, format, TODAY).map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        let again = JournalImport::new(books, UserId::random(), &UserRef::sample(), OffsetDateTime::UNIX_EPOCH);
        // Every account of the header, those without movements too.
        let used = &accounts;
        prop_assert_eq!(again.accounts.len(), used.len());
        for (was, is) in used.iter().zip(&again.accounts) {
            prop_assert_eq!(&was.name, &is.name);
            let sum: i64 = import.movements.iter().filter(|m| m.account_id == was.id).map(|m| m.amount.minor()).sum();
            prop_assert_eq!(sum, is.balance.minor());
        }
        prop_assert_eq!(again.reconciliations.len(), import.reconciliations.len());
        let locked = |i: &JournalImport| i.reconciliations.iter().map(|r| r.locked).collect::<Vec<_>>();
        prop_assert_eq!(locked(&again), locked(&import));
        let second = written(format, &again.accounts, &again);
        let first = written(format, used, &import);
        prop_assert_eq!(first, second);
    }
}

/// Lines a journal is made of, and the odd things a file holds, for the fuzzing below.
const PIECES: &[&str] = &[
    "2026-01-01 x",
    "2026-01-01 * \"p\" \"n\" #t ^l",
    "2026-01-01 open Assets:A EUR",
    "2026-01-02 balance Assets:A 1.00 EUR",
    "2026-01-02 price EUR 1.1 USD",
    "P 2026-01-01 EUR 1.1 USD",
    "    assets:a  -1.00 EUR = 3 EUR",
    "    assets:b  1 EUR @@ 2 USD",
    "  Assets:A  -1 EUR @ 1.5 USD",
    "    expenses:x",
    "    income:y  $-2,000.5",
    "  key: \"v\"",
    "; Accounts (journal name currency = name in finance):",
    ";   assets:a EUR = A",
    "comment",
    "end comment",
    "~ monthly",
    "    ; trip:, id:1",
    "\u{3000}2026-01-01 open X",
    "\u{3000}\u{3000}\u{3000}\u{3000}2026-01-01 open X",
    "\u{3000}P 2026-01-01 EUR 1 USD",
    "2026-01-01 \u{a0}*\u{3000}\"é",
    "",
    "    (virtual)  1 EUR",
    "2026-02-30 bad",
    "    assets:a  99999999999999999999999 EUR",
    "    assets:a  1.000000000000000000001 EUR",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Whatever the text, the reader answers (books or errors by line), never panics.
    #[test]
    fn any_text_is_read_or_refused_by_line(
        lines in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(PIECES).prop_map(str::to_string),
                "\\PC{0,40}",
                "[ \t]{0,3}[0-9A-Za-z:;=@$,.*!\"#() -]{0,30}",
            ],
            0..30,
        ),
        beancount in any::<bool>(),
    ) {
        let text = lines.join("\n");
        let syntax = if beancount { JournalFormat::Beancount } else { JournalFormat::Hledger };
        if let Err(e) = read_journal(&text, syntax, TODAY) {
            prop_assert!(!e.errors.is_empty());
            prop_assert!(e.errors.iter().all(|f| f.line.is_some()), "{e}");
        }
    }
}
