use super::{App, Error};
use crate::domain::{Schedule, ScheduleId, ScheduleList, Upcoming, UserId, ValidationError};

/// The most dates `upcoming` previews.
pub const MAX_UPCOMING: u32 = 100;

impl App {
    pub async fn get_schedule(&self, owner: UserId, id: ScheduleId) -> Result<Schedule, Error> {
        self.schedules
            .get_schedule(owner, id)
            .await?
            .ok_or(Error::NotFound)
    }

    pub async fn list_schedules(&self, owner: UserId) -> Result<ScheduleList, Error> {
        Ok(ScheduleList {
            items: self.schedules.list_schedules(owner).await?,
        })
    }

    /// The next `count` dates (5 when absent, at most 100) the schedule will book, from
    /// tomorrow: today's is booked already.
    pub async fn upcoming(
        &self,
        owner: UserId,
        id: ScheduleId,
        count: Option<&str>,
    ) -> Result<Upcoming, Error> {
        let count = match count {
            None => 5,
            Some(c) => c
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_UPCOMING).contains(n))
                .ok_or_else(|| {
                    ValidationError::new(
                        "count",
                        format!("must be a whole number from 1 to {MAX_UPCOMING}"),
                    )
                })?,
        };
        let schedule = self.get_schedule(owner, id).await?;
        let today = self.clock.now().date();
        let from = today.next_day().unwrap_or(today);
        Ok(Upcoming {
            dates: schedule.recurrence().from_date(from, count as usize),
        })
    }
}
