//! The balances a journal asserts, checked as the tools check them: in date order, a
//! day's transactions in the order the file gives them; those that state a day's closing
//! balance become reconciliations.

use std::collections::HashMap;

use time::Date;

use super::books::{Assertion, Checkpoint, JournalBooks};
use super::raw::Problems;
use crate::domain::Money;

pub fn check(books: &mut JournalBooks, problems: &mut Problems, today: Date) {
    let mut order: Vec<usize> = (0..books.entries.len()).collect();
    order.sort_by_key(|i| (books.entries[*i].date(), *i));
    let mut after_entry: HashMap<usize, Vec<&Assertion>> = HashMap::new();
    let mut day_end: Vec<&Assertion> = Vec::new();
    for a in &books.assertions {
        match a.after {
            Some(entry) => after_entry.entry(entry).or_default().push(a),
            None => day_end.push(a),
        }
    }
    day_end.sort_by_key(|a| (a.day, a.line));
    let mut balances = vec![0i128; books.accounts.len()];
    // Per account, (day, balance at its end) of each day it moved: for the closing
    // balance of any day.
    let mut closing: Vec<Vec<(Date, i128)>> = vec![Vec::new(); books.accounts.len()];
    let mut pending = day_end.iter().peekable();
    let check = |a: &Assertion, balances: &[i128], problems: &mut Problems| {
        let held = balances[a.account];
        if held != i128::from(a.balance.minor()) {
            let account = &books.accounts[a.account];
            let held = i64::try_from(held).map_or_else(
                |_| "more than can be held".to_string(),
                |m| {
                    format!(
                        "{} {}",
                        Money::from_minor(m, account.currency),
                        account.currency.code()
                    )
                },
            );
            problems.push(
                a.line,
                format!(
                    "balance assertion failed: {} holds {held} here, not {} {}",
                    account.journal_name,
                    a.balance,
                    a.balance.currency().code()
                ),
            );
        }
    };
    for i in order {
        let entry = &books.entries[i];
        let on = entry.date();
        while let Some(a) = pending.next_if(|a| a.day < on) {
            check(a, &balances, problems);
        }
        for (account, delta) in entry.deltas() {
            balances[account] += i128::from(delta.minor());
            if i64::try_from(balances[account]).is_err() {
                let name = &books.accounts[account].journal_name;
                problems.push(
                    books.lines[i],
                    format!("{name}'s balance goes out of range"),
                );
            }
            let days = &mut closing[account];
            match days.last_mut() {
                Some((day, balance)) if *day == on => *balance = balances[account],
                _ => days.push((on, balances[account])),
            }
        }
        for a in after_entry.get(&i).into_iter().flatten() {
            check(a, &balances, problems);
        }
    }
    for a in pending {
        check(a, &balances, problems);
    }
    let closing_on = |account: usize, day: Date| {
        let days = &closing[account];
        let at = days.partition_point(|(d, _)| *d <= day);
        at.checked_sub(1).map_or(0, |i| days[i].1)
    };
    let mut reconciliations: Vec<Checkpoint> = books
        .assertions
        .iter()
        .filter(|a| a.day <= today && closing_on(a.account, a.day) == i128::from(a.balance.minor()))
        .map(|a| Checkpoint {
            account: a.account,
            day: a.day,
            balance: a.balance,
        })
        .collect();
    reconciliations.sort_by_key(|c| (c.account, c.day));
    reconciliations.dedup_by_key(|c| (c.account, c.day));
    books.reconciliations = reconciliations;
}
