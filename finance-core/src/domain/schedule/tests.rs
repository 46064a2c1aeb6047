use super::*;
use crate::domain::recurrence::days_in;
use proptest::prelude::*;
use time::Duration;
use time::macros::date;

fn rec(start: Date, every: Every, interval: u32, end: Option<Date>) -> Recurrence {
    Recurrence {
        start,
        end,
        every,
        interval,
    }
}

fn shown(dates: &[Date]) -> Vec<String> {
    dates.iter().map(|d| d.to_string()).collect()
}

#[test]
fn month_ends_fall_on_the_last_day_and_come_back() {
    let r = rec(date!(2024 - 01 - 31), Every::Month, 1, None);
    assert_eq!(
        shown(&r.from_date(date!(2024 - 01 - 01), 4)),
        ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    );
    let leap = rec(
        date!(2024 - 02 - 29),
        Every::Year,
        1,
        Some(date!(2028 - 12 - 31)),
    );
    assert_eq!(
        shown(&leap.from_date(date!(2024 - 01 - 01), 10)),
        [
            "2024-02-29",
            "2025-02-28",
            "2026-02-28",
            "2027-02-28",
            "2028-02-29"
        ]
    );
    let fortnight = rec(date!(2026 - 11 - 30), Every::Week, 2, None);
    assert_eq!(
        shown(&fortnight.between(Some(date!(2026 - 11 - 30)), date!(2027 - 01 - 10))),
        ["2026-12-14", "2026-12-28"]
    );
    let quarterly = rec(
        date!(2026 - 01 - 15),
        Every::Month,
        3,
        Some(date!(2026 - 10 - 14)),
    );
    assert_eq!(
        shown(&quarterly.between(None, date!(2030 - 01 - 01))),
        ["2026-01-15", "2026-04-15", "2026-07-15"]
    );
}

#[test]
fn inputs_name_every_bad_field() {
    let eur = Currency::parse("EUR").expect("EUR");
    let input = ScheduleInput {
        account: "x".into(),
        amount: "0".into(),
        description: "".into(),
        category: Some("".into()),
        start: "2026-12-01".into(),
        end: Some("2026-11-01".into()),
        every: "fortnight".into(),
        interval: Some(0),
        splits: None,
        tags: Vec::new(),
    };
    let e = ScheduleRules::parse(&input, eur).expect_err("bad");
    let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "amount",
            "description",
            "category",
            "every",
            "interval",
            "end"
        ]
    );
}

fn every() -> impl Strategy<Value = Every> {
    prop_oneof![
        Just(Every::Day),
        Just(Every::Week),
        Just(Every::Month),
        Just(Every::Year)
    ]
}

proptest! {
    /// Dates rise strictly, keep the start's day where the month has it (else the
    /// month's last), are `interval` units apart, never pass the end, and splitting the
    /// booking at any day books each date exactly once.
    #[test]
    fn the_date_rules_hold(
        start_days in 0i64..20_000,
        every in every(),
        interval in 1u32..14,
        end_after in proptest::option::of(0i64..3_000),
        split in 0i64..4_000,
        horizon in 0i64..4_000,
    ) {
        let start = date!(1990 - 01 - 01) + Duration::days(start_days);
        let end = end_after.map(|d| start + Duration::days(d));
        let r = rec(start, every, interval, end);
        let through = start + Duration::days(horizon);
        let all = r.between(None, through);
        for w in all.windows(2) {
            prop_assert!(w[0] < w[1]);
            match every {
                Every::Day => prop_assert_eq!((w[1] - w[0]).whole_days(), i64::from(interval)),
                Every::Week => prop_assert_eq!((w[1] - w[0]).whole_days(), 7 * i64::from(interval)),
                Every::Month | Every::Year => {}
            }
        }
        for d in &all {
            prop_assert!(*d >= start && *d <= through);
            prop_assert!(end.is_none_or(|e| *d <= e));
            if matches!(every, Every::Month | Every::Year) {
                let last = days_in(d.year(), d.month());
                prop_assert_eq!(d.day(), start.day().min(last));
                if every == Every::Year {
                    prop_assert_eq!(d.month(), start.month());
                }
            }
        }
        if let Some(first) = all.first() {
            prop_assert_eq!(*first, start);
        }
        let cut = start + Duration::days(split);
        let mut twice = r.between(None, cut.min(through));
        twice.extend(r.between(Some(cut.min(through)), through));
        prop_assert_eq!(&twice, &all, "booking in two goes books each date once");
        let next = r.from_date(cut, 3);
        for (i, d) in next.iter().enumerate() {
            prop_assert!(*d >= cut);
            if i == 0 {
                prop_assert!(r.between(None, *d).iter().rev().nth(1).is_none_or(|p| *p < cut));
            }
        }
    }
}
