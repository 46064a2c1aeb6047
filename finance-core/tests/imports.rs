//! Big bank files into the store, on SQLite and on Postgres: rows spanning several of
//! Postgres' array statements, keys repeated inside the file and from an earlier import,
//! the file's order kept, the balance the sum of what was added.

mod support;

use finance_core::domain::*;
use support::Store;
use support::fixtures::*;
use support::suite;
use time::Duration;
use time::macros::date;

/// Rows keyed `k{i}`, amounts `i + 1` cents, one day each from 2020-01-01.
fn rows(a: &Account, range: std::ops::Range<i64>) -> Vec<ImportRow> {
    range
        .map(|i| {
            let mut m = movement(a, i + 1, date!(2020 - 01 - 01) + Duration::days(i % 2000));
            m.description = format!("row {i}");
            ImportRow {
                key: format!("k{i}"),
                movement: m,
            }
        })
        .collect()
}

async fn big_files_import_each_row_once(s: impl Store) {
    let ada = user(&s, "ada@example.com").await;
    let a = account(&s, ada.id, "Bank", eur()).await;
    let first = s
        .import_rows(ada.id, a.id, &rows(&a, 0..12_000))
        .await
        .expect("first file");
    assert_eq!((first.added, first.duplicates), (12_000, 0));

    // The next file overlaps the first, and names one of its own rows twice.
    let mut second = rows(&a, 0..25_000);
    let mut again = rows(&a, 24_000..24_001);
    again[0].movement.id = MovementId::random();
    second.extend(again);
    let imported = s
        .import_rows(ada.id, a.id, &second)
        .await
        .expect("second file");
    assert_eq!((imported.added, imported.duplicates), (13_000, 12_001));

    // 1 + 2 + … + 25,000 cents.
    assert_eq!(balance(&s, &a).await, 25_000 * 25_001 / 2);
    let stored = all_movements(&s, &a).await;
    assert_eq!(stored.len(), 25_000);
    assert_eq!(
        stored.iter().map(|m| m.amount.minor()).sum::<i64>(),
        25_000 * 25_001 / 2
    );
    // Newest first: of two rows on one day, the later row of the file comes first.
    let day = date!(2020 - 01 - 01) + Duration::days(7);
    let same_day: Vec<&str> = stored
        .iter()
        .filter(|m| m.occurred_on == day)
        .map(|m| m.description.as_str())
        .collect();
    assert_eq!(
        &same_day[..3],
        ["row 24007", "row 22007", "row 20007"],
        "{same_day:?}"
    );
}

suite!(big_files_import_each_row_once);
