//! Reading journals: hand-written ones in each syntax and their errors by line (random
//! ones in `property_tests.rs`).

use time::macros::date;

use super::*;

pub(super) const TODAY: Date = date!(2026 - 12 - 01);

fn read(text: &str) -> Result<JournalBooks, ValidationError> {
    read_journal(text, syntax_of(text), TODAY)
}

fn lines_of(e: &ValidationError) -> Vec<u64> {
    e.errors.iter().filter_map(|f| f.line).collect()
}

const HLEDGER: &str = "\
; a comment
account assets:bank
commodity 1,000.00 EUR
P 2026-01-01 EUR 1.0842 USD

2026-01-02 * (12) Salary  ; pay:
    assets:bank            2,500.00 EUR
    income:salary

2026/01/05 Shop | weekly  ; food:, id:123
    assets:bank        -60 EUR = 2440 EUR
    expenses:food       45 EUR
    expenses:household  15.00 EUR

2026-01-06 To savings
    assets:savings      100 USD
    assets:bank        -90 EUR @@ 100 USD

~ monthly
    assets:bank  1 EUR
    income:x
";

#[test]
fn an_hledger_journal_gives_accounts_movements_and_a_transfer() {
    let books = read(HLEDGER).expect("reads");
    let names: Vec<&str> = books.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["bank", "savings"]);
    assert_eq!(books.accounts[1].currency.code(), "USD");
    let Entry::Movement { movement, .. } = &books.entries[0] else {
        panic!("a movement first");
    };
    assert_eq!(movement.amount.to_string(), "2500.00");
    assert_eq!(movement.category.as_deref(), Some("salary"));
    assert_eq!(movement.description, "Salary");
    assert_eq!(movement.tags, ["pay"]);
    let Entry::Movement { movement, .. } = &books.entries[1] else {
        panic!("a split");
    };
    let parts = movement.splits.as_ref().expect("parts");
    assert_eq!(parts[0].amount.to_string(), "-45.00");
    assert_eq!(parts[1].category, "household");
    assert_eq!(movement.description, "Shop | weekly");
    assert_eq!(movement.occurred_on, date!(2026 - 01 - 05));
    let Entry::Transfer { sent, received, .. } = &books.entries[2] else {
        panic!("a transfer");
    };
    assert_eq!((sent.minor(), received.minor()), (-9000, 10000));
    // The periodic rule is a forecast, not a transaction.
    assert_eq!(books.entries.len(), 3);
    // The assertion after the split is the day's closing balance: a reconciliation.
    assert_eq!(books.reconciliations.len(), 1);
    assert_eq!(books.reconciliations[0].balance.minor(), 244_000);
    assert_eq!(books.rates.len(), 1);
    assert_eq!(books.rates[0].rate.to_string(), "1.0842");
}

const BEANCOUNT: &str = r#"option "title" "Books"
2020-01-01 open Assets:Bank:Checking EUR
2020-01-01 open Liabilities:Card
2020-01-01 open Expenses:Food

2026-01-02 * "Café \"Bleu\"" "lunch" #work ^trip1
  id: "x"
  Liabilities:Card  -12.50 EUR
  Expenses:Food

2026-01-03 txn "Pay the card"
  Assets:Bank:Checking  -12.50 EUR
  Liabilities:Card       12.50 EUR

2026-01-04 balance Liabilities:Card 0.00 EUR
2026-01-04 price USD 0.92 EUR
"#;

#[test]
fn a_beancount_file_without_declarations_is_told_by_its_narrations() {
    let text = "2026-01-01 * \"Coffee\"\n  Assets:Bank  -3.50 EUR\n  Expenses:Food\n";
    assert_eq!(syntax_of(text), JournalFormat::Beancount);
    let books = read(text).expect("reads");
    let Entry::Movement { movement, .. } = &books.entries[0] else {
        panic!("a movement");
    };
    assert_eq!(movement.description, "Coffee");
    // One transaction in hledger's way makes the quotes a description's.
    let mixed = format!("{text}\n2026-01-02 Tea\n  assets:Bank  -2 EUR\n  expenses:food\n");
    assert_eq!(syntax_of(&mixed), JournalFormat::Hledger);
}

#[test]
fn a_beancount_file_gives_the_same_kind_of_books() {
    assert_eq!(syntax_of(BEANCOUNT), JournalFormat::Beancount);
    let books = read(BEANCOUNT).expect("reads");
    let names: Vec<&str> = books.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Card", "Bank:Checking"]);
    let Entry::Movement { movement, .. } = &books.entries[0] else {
        panic!("a movement");
    };
    assert_eq!(movement.description, "Café \"Bleu\" | lunch");
    assert_eq!(movement.tags, ["work"]);
    assert_eq!(movement.category.as_deref(), Some("Food"));
    assert!(matches!(books.entries[1], Entry::Transfer { .. }));
    // Checked at the start of the 4th: the end of the 3rd.
    assert_eq!(books.reconciliations[0].day, date!(2026 - 01 - 03));
    assert_eq!(books.rates[0].quote.code(), "EUR");
}

#[test]
fn an_export_header_names_the_accounts_and_categories() {
    // The first exports wrote no currency in the mapping; this one does, for an account
    // without movements.
    let text = "\
; Accounts (journal name = name in finance):
;   assets:Bank = Bank: main
; Categories (name in finance = journal name):
;   Food & drink = Food-drink
; Accounts (journal name currency = name in finance):
;   assets:Spare BHD = Spare, unused

2026-01-01 Lunch
    assets:Bank  -5 EUR
    expenses:Food-drink
";
    let books = read(text).expect("reads");
    let names: Vec<(&str, &str)> = books
        .accounts
        .iter()
        .map(|a| (a.name.as_str(), a.currency.code()))
        .collect();
    assert_eq!(names, [("Bank: main", "EUR"), ("Spare, unused", "BHD")]);
    let Entry::Movement { movement, .. } = &books.entries[0] else {
        panic!("a movement");
    };
    assert_eq!(movement.category.as_deref(), Some("Food & drink"));
}

#[test]
fn every_error_is_named_by_its_line() {
    let text = "\
2026-01-01 Unbalanced
    assets:bank  10 EUR
    expenses:x   -9 EUR

2026-01-02 Two left out
    assets:bank  10 EUR
    expenses:x
    expenses:y

2026-01-03 Unknown money
    assets:bank  10 XXY
    income:x

2026-01-04 Too fine
    assets:bank  10.001 EUR
    income:x
";
    let e = read(text).expect_err("refused");
    assert_eq!(lines_of(&e), [1, 8, 11, 15], "{e}");
    // What cannot be read at all is told first, every line of it.
    let unread = format!("{text}\ninclude other.journal\n2026-13-01 Bad date\n");
    let e = read(&unread).expect_err("refused");
    assert_eq!(lines_of(&e), [18, 19], "{e}");
}

#[test]
fn a_failed_assertion_is_refused_at_its_line() {
    let text = "\
2026-01-01 Pay
    assets:bank  10 EUR = 11 EUR
    income:x

2026-01-02 Check
    assets:bank  0 EUR = 10 EUR
";
    let e = read(text).expect_err("refused");
    assert_eq!(lines_of(&e), [2], "{e}");
    assert!(e.errors[0].message.contains("10.00 EUR"), "{e}");
}

#[test]
fn three_accounts_in_one_transaction_are_refused() {
    let text = "\
2026-01-01 Many
    assets:a  10 EUR
    assets:b  -5 EUR
    income:x  -5 EUR
";
    assert_eq!(lines_of(&read(text).expect_err("refused")), [1]);
    assert_eq!(lines_of(&read("2026-01-01 pad\n").expect_err("empty")), [1]);
    let pad = "2026-01-01 open Assets:A EUR\n2026-01-02 pad Assets:A Equity:X\n";
    assert_eq!(lines_of(&read(pad).expect_err("pad")), [2]);
}
