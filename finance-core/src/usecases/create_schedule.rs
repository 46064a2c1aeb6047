use super::{App, Error};
use crate::domain::{AccountId, Schedule, ScheduleId, ScheduleInput, ScheduleRules, UserId};

impl App {
    /// Makes a schedule of recurring movements on one of the owner's accounts, and books
    /// at once every date of it due by today: at most [`MAX_BOOKED_AT_ONCE`] of them, or
    /// it is refused (naming `start`).
    ///
    /// [`MAX_BOOKED_AT_ONCE`]: crate::domain::MAX_BOOKED_AT_ONCE
    pub async fn create_schedule(
        &self,
        owner: UserId,
        input: &ScheduleInput,
    ) -> Result<Schedule, Error> {
        let account = AccountId::parse("account", &input.account)?;
        let account = self
            .account_for(owner, account, crate::domain::Action::Write)
            .await?;
        let rules = ScheduleRules::parse(input, account.currency)?;
        let now = self.clock.now();
        rules.recurrence.check_catch_up(None, now.date())?;
        let schedule = Schedule {
            id: ScheduleId::random(),
            owner_id: owner,
            account: account.id,
            amount: rules.amount,
            description: rules.description,
            category: rules.category,
            start: rules.recurrence.start,
            end: rules.recurrence.end,
            every: rules.recurrence.every,
            interval: rules.recurrence.interval,
            splits: rules.splits,
            tags: rules.tags,
            created_at: now,
            updated_at: now,
        };
        self.schedules.create_schedule(&schedule).await?;
        self.catch_up(&schedule, None).await?;
        Ok(schedule)
    }
}
