//! Random books written as an hledger journal and read back by a small reader of that
//! format give every account's balance to the minor unit.

use std::collections::BTreeMap;

use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::date;

use super::*;
use crate::domain::{
    Account, AccountId, Currency, Money, Movement, MovementId, Role, Split, UserId, UserRef,
};

/// An owned account with no movements, made `i` seconds after the epoch (the export's
/// order); the reader's property tests make theirs with it too.
pub(super) fn account(name: &str, code: &str, i: i64) -> Account {
    let currency = Currency::parse(code).expect("currency");
    Account {
        id: AccountId::random(),
        owner_id: UserId::random(),
        owner_email: None,
        role: Role::Owner,
        name: name.into(),
        currency,
        balance: Money::zero(currency),
        archived: false,
        created_at: OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(i),
        reconciled_on: None,
    }
}

/// Sums every posting of an hledger journal by account and commodity, in minor units of
/// the commodity's declared digits: the reader the test trusts, not the writer.
fn read_back(text: &str) -> BTreeMap<(String, String), i128> {
    let mut digits: BTreeMap<String, u32> = BTreeMap::new();
    let mut sums = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("commodity ") {
            let (number, code) = rest.split_once(' ').expect("commodity");
            let d = number.split_once('.').map_or(0, |(_, f)| f.len() as u32);
            digits.insert(code.to_string(), d);
            continue;
        }
        let Some(posting) = line.strip_prefix("    ") else {
            continue;
        };
        if posting.starts_with(';') {
            continue;
        }
        let (account, amount) = posting.split_once("  ").expect("two spaces");
        let amount = amount.split(" @@ ").next().expect("amount");
        let (number, code) = amount.trim().split_once(' ').expect("number and code");
        let d = digits[code];
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        assert_eq!(frac.len() as u32, d, "{line}");
        let negative = int.starts_with('-');
        let whole: i128 = int.trim_start_matches('-').parse().expect("int");
        let part: i128 = if frac.is_empty() {
            0
        } else {
            frac.parse().expect("frac")
        };
        let minor = whole * 10i128.pow(d) + part;
        *sums
            .entry((account.to_string(), code.to_string()))
            .or_insert(0) += if negative { -minor } else { minor };
    }
    sums
}

fn movement(
    a: &Account,
    minor: i64,
    category: Option<String>,
    parts: Option<Vec<(String, i64)>>,
) -> Movement {
    let by = UserRef {
        id: a.owner_id,
        email: None,
    };
    Movement {
        id: MovementId::random(),
        account_id: a.id,
        amount: Money::from_minor(minor, a.currency),
        description: "a; b \"c\" #d".into(),
        category,
        occurred_on: date!(2026 - 11 - 01),
        transfer_id: None,
        schedule_id: None,
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
        created_by: by.clone(),
        updated_by: by,
        splits: parts.map(|ps| {
            ps.into_iter()
                .map(|(category, m)| Split {
                    amount: Money::from_minor(m, a.currency),
                    category,
                    description: None,
                })
                .collect()
        }),
        tags: vec!["trip".into()],
        rule_id: None,
        reconciled: false,
    }
}

proptest! {
    #[test]
    fn an_hledger_journal_reads_back_to_the_same_balances(
        rows in proptest::collection::vec(
            (0usize..4, -1_000_000i64..1_000_000, proptest::option::of("[a-z ]{1,8}"), proptest::option::of(proptest::collection::vec(("[a-z]{1,5}", -50_000i64..50_000), 1..4))),
            0..40,
        )
    ) {
        let accounts = vec![
            account("Bank account", "EUR", 1),
            account("Bank-account", "JPY", 2),
            account("Tokyo 日本", "BHD", 3),
            account("Bank account", "EUR", 4),
        ];
        let mut movements = Vec::new();
        for (i, minor, category, parts) in rows {
            let a = &accounts[i];
            // A split's amount is the sum of its parts.
            let (minor, parts) = match parts {
                Some(ps) if ps.iter().map(|p| p.1).sum::<i64>() != 0 => {
                    (ps.iter().map(|p| p.1).sum(), Some(ps))
                }
                _ if minor != 0 => (minor, None),
                _ => continue,
            };
            let category = if parts.is_some() { None } else { category };
            movements.push(movement(a, minor, category, parts));
        }
        let categories: Vec<String> = movements
            .iter()
            .flat_map(|m| {
                m.category.iter().cloned().chain(m.splits.iter().flatten().map(|p| p.category.clone()))
            })
            .collect();
        let names = JournalNames::new(&accounts, &categories);
        let w = JournalWriter { format: JournalFormat::Hledger, names: &names };
        let currencies: Vec<Currency> = accounts.iter().map(|a| a.currency).collect();
        let mut text = w.header(&currencies, &["trip".into()]);
        for m in &movements {
            text.push_str(&w.movement(m));
        }
        let sums = read_back(&text);
        for a in &accounts {
            let want: i128 = movements.iter().filter(|m| m.account_id == a.id).map(|m| i128::from(m.amount.minor())).sum();
            let name = format!("assets:{}", names.account(a.id).expect("named"));
            let got = sums.get(&(name.clone(), a.currency.code().to_string())).copied().unwrap_or(0);
            prop_assert_eq!(got, want, "{}", name);
        }
        // Every transaction balances: all postings of each commodity sum to zero.
        let mut by_code: BTreeMap<&str, i128> = BTreeMap::new();
        for ((_, code), v) in &sums {
            *by_code.entry(code.as_str()).or_insert(0) += v;
        }
        prop_assert!(by_code.values().all(|v| *v == 0), "{:?}", by_code);
        // Two accounts named alike stay apart.
        prop_assert_eq!(names.account(accounts[0].id), Some("Bank-account"));
        prop_assert_eq!(names.account(accounts[1].id), Some("Bank-account-2"));
        prop_assert_eq!(names.account(accounts[3].id), Some("Bank-account-3"));
    }
}
