//! When a schedule's movements fall: a start, a step and an optional end, and the dates
//! that follow from them.

use time::{Date, Duration, Month};

use super::error::ValidationError;

/// Dates a schedule books at most in one go: at its creation (more is refused), and per
/// transaction of a catch-up.
pub const MAX_BOOKED_AT_ONCE: usize = 1_000;

/// How often a schedule repeats, times its `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Every {
    Day,
    Week,
    Month,
    Year,
}

impl Every {
    pub(crate) fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw.trim() {
            "day" => Ok(Every::Day),
            "week" => Ok(Every::Week),
            "month" => Ok(Every::Month),
            "year" => Ok(Every::Year),
            other => Err(ValidationError::new(
                "every",
                format!("{other:?} is not one of day, week, month, year"),
            )),
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Every::Day => "day",
            Every::Week => "week",
            Every::Month => "month",
            Every::Year => "year",
        }
    }

    /// Reads a stored value.
    pub fn from_stored(raw: &str) -> Option<Self> {
        Self::parse(raw).ok()
    }
}

/// The largest interval: every 1,000 days, weeks, months or years is already rare.
pub const MAX_INTERVAL: u32 = 1_000;

/// When a schedule's movements fall: `start`, then every `interval` `every`s, up to `end`
/// (inclusive) if it has one. A month-day past a month's end falls on its last day, and
/// the month after goes back to the start's day (the 31st, the 28th in February, the
/// 31st in March).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub start: Date,
    pub end: Option<Date>,
    pub every: Every,
    pub interval: u32,
}

pub(crate) fn days_in(year: i32, month: Month) -> u8 {
    time::util::days_in_month(month, year)
}

impl Recurrence {
    /// The `k`th date (the start is the 0th), whether or not past the end; `None` only
    /// past the calendar's range.
    pub fn nth(&self, k: u32) -> Option<Date> {
        let step = i64::from(k) * i64::from(self.interval);
        match self.every {
            Every::Day => self.start.checked_add(Duration::days(step)),
            Every::Week => self.start.checked_add(Duration::weeks(step)),
            Every::Month | Every::Year => {
                let months = if self.every == Every::Month {
                    step
                } else {
                    step * 12
                };
                let index =
                    i64::from(self.start.year()) * 12 + i64::from(u8::from(self.start.month())) - 1
                        + months;
                let year = i32::try_from(index.div_euclid(12)).ok()?;
                let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
                let day = self.start.day().min(days_in(year, month));
                Date::from_calendar_date(year, month, day).ok()
            }
        }
    }

    /// The dates from the first on or after `from`, in order, within the end, at most
    /// `count`.
    pub fn from_date(&self, from: Date, count: usize) -> Vec<Date> {
        let mut out = Vec::new();
        let mut k = self.first_index_on_or_after(from);
        while out.len() < count {
            match self.nth(k) {
                Some(d) if self.end.is_none_or(|e| d <= e) => {
                    out.push(d);
                    k += 1;
                }
                _ => break,
            }
        }
        out
    }

    /// Every date after `after` (if given) up to `through`, both bounds as dates.
    pub fn between(&self, after: Option<Date>, through: Date) -> Vec<Date> {
        self.between_at_most(after, through, usize::MAX)
    }

    /// The first `limit` dates of [`Recurrence::between`].
    pub fn between_at_most(&self, after: Option<Date>, through: Date, limit: usize) -> Vec<Date> {
        let mut out = Vec::new();
        self.each_between(after, through, |d| {
            out.push(d);
            out.len() < limit
        });
        out
    }

    /// How many dates [`Recurrence::between`] has, without listing them.
    pub fn count_between(&self, after: Option<Date>, through: Date) -> u64 {
        let mut n = 0;
        self.each_between(after, through, |_| {
            n += 1;
            true
        });
        n
    }

    /// The last date on or before `through` (and the end), if one is.
    pub fn last_on_or_before(&self, through: Date) -> Option<Date> {
        let through = self.end.map_or(through, |e| e.min(through));
        let k = self.first_index_on_or_after(through.next_day()?);
        self.nth(k.checked_sub(1)?).filter(|d| *d <= through)
    }

    /// Refuses a schedule (or a change to one) that would book more than
    /// [`MAX_BOOKED_AT_ONCE`] dates after `after` by `today`: a daily schedule begun in
    /// the year 1000 would otherwise write 375,000 movements in one request.
    pub fn check_catch_up(&self, after: Option<Date>, today: Date) -> Result<(), ValidationError> {
        let due = self.count_between(after, today);
        if due > MAX_BOOKED_AT_ONCE as u64 {
            return Err(ValidationError::new(
                "start",
                format!(
                    "would book {due} movements at once (every date from the start to today); \
                     at most {MAX_BOOKED_AT_ONCE} are booked at once: start later"
                ),
            ));
        }
        Ok(())
    }

    /// Calls `each` with the dates after `after` up to `through`, in order, while it
    /// answers true.
    fn each_between(&self, after: Option<Date>, through: Date, mut each: impl FnMut(Date) -> bool) {
        let from = match after.and_then(|a| a.next_day()) {
            Some(f) => f.max(self.start),
            None if after.is_some() => return,
            None => self.start,
        };
        let mut k = self.first_index_on_or_after(from);
        while let Some(d) = self.nth(k) {
            if d > through || self.end.is_some_and(|e| d > e) || !each(d) {
                return;
            }
            k += 1;
        }
    }

    /// The index of the first date on or after `from` (an estimate from the calendar,
    /// then stepped to the exact one).
    fn first_index_on_or_after(&self, from: Date) -> u32 {
        if from <= self.start {
            return 0;
        }
        let days = (from - self.start).whole_days();
        let per = match self.every {
            Every::Day => 1,
            Every::Week => 7,
            Every::Month => 28,
            Every::Year => 365,
        } * i64::from(self.interval.max(1));
        // An under-estimate for months and years (their steps are at least 28 and 365
        // days), exact for days and weeks; step forward from it.
        let mut k = u32::try_from((days / per).saturating_sub(1).max(0)).unwrap_or(u32::MAX);
        while self.nth(k).is_some_and(|d| d < from) {
            k += 1;
        }
        while k > 0 && self.nth(k - 1).is_some_and(|d| d >= from) {
            k -= 1;
        }
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn daily(start: Date) -> Recurrence {
        Recurrence {
            start,
            end: None,
            every: Every::Day,
            interval: 1,
        }
    }

    #[test]
    fn counting_and_bounded_listing_agree_with_the_list() {
        let r = Recurrence {
            start: date!(2026 - 01 - 31),
            end: Some(date!(2026 - 11 - 30)),
            every: Every::Month,
            interval: 1,
        };
        let all = r.between(None, date!(2026 - 12 - 04));
        assert_eq!(all.len(), 11);
        assert_eq!(r.count_between(None, date!(2026 - 12 - 04)), 11);
        assert_eq!(r.between_at_most(None, date!(2026 - 12 - 04), 3), all[..3]);
        assert_eq!(r.count_between(Some(all[4]), date!(2026 - 12 - 04)), 6);
        assert_eq!(
            r.last_on_or_before(date!(2026 - 12 - 04)),
            Some(date!(2026 - 11 - 30))
        );
        assert_eq!(
            r.last_on_or_before(date!(2026 - 03 - 30)),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(r.last_on_or_before(date!(2026 - 01 - 30)), None);
    }

    #[test]
    fn a_catch_up_past_the_bound_is_refused_naming_start() {
        let today = date!(2026 - 12 - 04);
        let ten_years = daily(date!(2016 - 12 - 04));
        let e = ten_years.check_catch_up(None, today).expect_err("refused");
        assert_eq!(e.errors[0].field, "start");
        assert!(e.errors[0].message.contains("3653"), "{e}");
        let ancient = daily(date!(1000 - 01 - 01));
        assert!(ancient.check_catch_up(None, today).is_err());
        // Exactly the bound is fine; and what was booked before does not count again.
        let at_bound = daily(today - Duration::days(MAX_BOOKED_AT_ONCE as i64 - 1));
        assert_eq!(
            at_bound.count_between(None, today),
            MAX_BOOKED_AT_ONCE as u64
        );
        assert!(at_bound.check_catch_up(None, today).is_ok());
        assert!(
            ten_years
                .check_catch_up(Some(date!(2026 - 12 - 01)), today)
                .is_ok()
        );
    }
}
