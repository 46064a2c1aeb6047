use super::{App, Error};
use crate::domain::{Schedule, ScheduleId, SchedulePatch, UserId};

impl App {
    /// Changes a schedule; dates already booked stay as they were booked, and dates of the
    /// new rule due by today (after the last booked) are booked at once.
    pub async fn edit_schedule(
        &self,
        owner: UserId,
        id: ScheduleId,
        patch: &SchedulePatch,
    ) -> Result<Schedule, Error> {
        let before = self.get_schedule(owner, id).await?;
        let after = patch.apply(&before, self.clock.now())?;
        self.schedules.update_schedule(&after).await?;
        self.run_schedules_of(Some(owner)).await?;
        Ok(after)
    }

    /// Removes a schedule; the movements it booked stay (with its id).
    pub async fn delete_schedule(&self, owner: UserId, id: ScheduleId) -> Result<(), Error> {
        Ok(self.schedules.delete_schedule(owner, id).await?)
    }
}
