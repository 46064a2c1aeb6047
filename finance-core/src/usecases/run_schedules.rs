use time::Date;

use super::{App, Error};
use crate::domain::{MAX_BOOKED_AT_ONCE, Movement, MovementId, Schedule, UserId};

impl App {
    /// Books every schedule's dates due by today that are not booked yet, for everyone:
    /// run at start (catching up after downtime) and hourly by the server, and by
    /// `finance schedules run`. Each date is booked once whoever runs it, however often.
    /// A schedule whose booking fails (an archived account, a balance out of range) is
    /// logged and tried again next time; the others go on. Returns how many were booked.
    pub async fn run_schedules(&self) -> Result<usize, Error> {
        self.run_schedules_of(None).await
    }

    pub(crate) async fn run_schedules_of(&self, owner: Option<UserId>) -> Result<usize, Error> {
        let today = self.clock.now().date();
        let mut booked = 0;
        for (schedule, through) in self.schedules.due_schedules(owner, today).await? {
            match self.catch_up(&schedule, through).await {
                Ok(n) => booked += n,
                Err(e @ (Error::Unavailable(_) | Error::Internal(_))) => return Err(e),
                Err(e) => {
                    tracing::warn!(schedule = %schedule.id, error = %e, "a schedule could not book its dates")
                }
            }
        }
        Ok(booked)
    }

    /// Books the schedule's dates after `after` up to today, in transactions of at most
    /// [`MAX_BOOKED_AT_ONCE`] dates each (a schedule years behind never holds its
    /// account's lock for one huge write).
    pub(crate) async fn catch_up(
        &self,
        schedule: &Schedule,
        mut after: Option<Date>,
    ) -> Result<usize, Error> {
        let mut booked = 0;
        loop {
            let (n, last) = self.book_schedule(schedule, after).await?;
            booked += n;
            match last {
                Some(last) => after = Some(last),
                None => return Ok(booked),
            }
        }
    }

    /// Books the first [`MAX_BOOKED_AT_ONCE`] of the schedule's dates after `after` up to
    /// today: how many were new, and the last date when there may be more.
    pub(crate) async fn book_schedule(
        &self,
        schedule: &Schedule,
        after: Option<Date>,
    ) -> Result<(usize, Option<Date>), Error> {
        let now = self.clock.now();
        let dates = schedule
            .recurrence()
            .between_at_most(after, now.date(), MAX_BOOKED_AT_ONCE);
        if dates.is_empty() {
            return Ok((0, None));
        }
        let more = (dates.len() == MAX_BOOKED_AT_ONCE).then(|| dates[dates.len() - 1]);
        // Booked on behalf of whoever made the schedule.
        let by = self.author(schedule.owner_id).await?;
        let movements: Vec<Movement> = dates
            .into_iter()
            .map(|day| Movement {
                reconciled: false,
                id: MovementId::random(),
                account_id: schedule.account,
                amount: schedule.amount,
                description: schedule.description.clone(),
                category: schedule.category.clone(),
                occurred_on: day,
                transfer_id: None,
                schedule_id: Some(schedule.id),
                created_at: now,
                updated_at: now,
                created_by: by.clone(),
                updated_by: by.clone(),
                splits: schedule.splits.clone(),
                tags: schedule.tags.clone(),
                rule_id: None,
            })
            .collect();
        // The maker's rules, as for a movement they record (the template's category, or
        // its parts, count as sent).
        let book = self.rule_book(schedule.owner_id).await?;
        let mut movements = movements;
        for m in &mut movements {
            book.categorise(m, false);
        }
        let (booked, skipped) = self.schedules.book(schedule, &movements).await?;
        if skipped > 0 {
            // Never booked backdated into reconciled days: said here, and the dates stay
            // unbooked for good.
            tracing::warn!(
                schedule = %schedule.id,
                skipped,
                "schedule dates on or before the account's reconciled day were skipped"
            );
        }
        Ok((booked, more))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use crate::domain::{Every, Money, Schedule, ScheduleId, UserId};
    use crate::usecases::testing::{Mocks, account};

    /// A daily schedule 2,500 dates behind (a server down for years) is booked by the
    /// catch-up in transactions of at most 1,000 dates, in order, each after the last.
    #[tokio::test]
    async fn a_long_catch_up_books_in_bounded_batches() {
        let mut mocks = Mocks::new();
        mocks.known_authors();
        mocks.no_rules();
        let owner = UserId::random();
        let bank = account(owner, "Bank", "EUR", 0);
        let today = mocks.now.date();
        let schedule = Schedule {
            id: ScheduleId::random(),
            owner_id: owner,
            account: bank.id,
            amount: Money::from_minor(-100, bank.currency),
            description: "Coffee".into(),
            category: None,
            start: today - time::Duration::days(2_499),
            end: None,
            every: Every::Day,
            interval: 1,
            created_at: mocks.now,
            updated_at: mocks.now,
            splits: None,
            tags: Vec::new(),
        };
        let due = schedule.clone();
        mocks
            .schedules
            .expect_due_schedules()
            .returning(move |_, _| Ok(vec![(due.clone(), None)]));
        let batches = Arc::new(Mutex::new(Vec::new()));
        let seen = batches.clone();
        mocks
            .schedules
            .expect_book()
            .returning(move |_, movements| {
                let dates: Vec<_> = movements.iter().map(|m| m.occurred_on).collect();
                seen.lock().expect("lock").push(dates);
                Ok((movements.len(), 0))
            });
        let booked = mocks.app().run_schedules().await.expect("booked");
        assert_eq!(booked, 2_500);
        let batches = batches.lock().expect("lock");
        assert_eq!(
            batches.iter().map(Vec::len).collect::<Vec<_>>(),
            [1_000, 1_000, 500]
        );
        let all: Vec<_> = batches.iter().flatten().copied().collect();
        assert_eq!(all.first(), Some(&schedule.start));
        assert_eq!(all.last(), Some(&today));
        assert!(
            all.windows(2)
                .all(|w| w[1] == w[0].next_day().expect("day"))
        );
    }
}
