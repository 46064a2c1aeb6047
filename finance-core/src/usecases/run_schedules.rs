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
        let movements: Vec<Movement> = dates
            .into_iter()
            .map(|day| Movement {
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
            })
            .collect();
        Ok((self.schedules.book(schedule, &movements).await?, more))
    }
}
