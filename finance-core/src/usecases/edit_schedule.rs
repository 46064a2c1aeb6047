use super::{App, Error};
use crate::domain::{Schedule, ScheduleId, SchedulePatch, UserId};

impl App {
    /// Changes a schedule; dates already booked stay as they were booked, and dates of the
    /// new rule due by today (after the last booked) are booked at once; a change that
    /// would book more than a new schedule may is refused.
    pub async fn edit_schedule(
        &self,
        owner: UserId,
        id: ScheduleId,
        patch: &SchedulePatch,
    ) -> Result<Schedule, Error> {
        let before = self.writable_schedule(owner, id).await?;
        let now = self.clock.now();
        let after = patch.apply(&before, now)?;
        // What the new rule would book now: its dates after the last one the old rule had
        // due (booked by then), as for a new schedule.
        let booked = before.recurrence().last_on_or_before(now.date());
        after.recurrence().check_catch_up(booked, now.date())?;
        self.schedules
            .update_schedule(owner, &before, &after)
            .await?;
        self.run_schedules_of(Some(owner)).await?;
        Ok(after)
    }

    /// Removes a schedule; the movements it booked stay (with its id).
    pub async fn delete_schedule(&self, owner: UserId, id: ScheduleId) -> Result<(), Error> {
        self.writable_schedule(owner, id).await?;
        Ok(self
            .schedules
            .delete_schedule(owner, id, self.clock.now())
            .await?)
    }

    /// The schedule, if the user may change it (as they may its account's movements).
    async fn writable_schedule(&self, user: UserId, id: ScheduleId) -> Result<Schedule, Error> {
        let schedule = self.get_schedule(user, id).await?;
        self.account_for(user, schedule.account, crate::domain::Action::Write)
            .await?;
        Ok(schedule)
    }
}
