//! Schedules of recurring movements, and their bookings: each date of a schedule becomes
//! a movement once, guarded by the key (schedule_id, day) of `schedule_bookings` in the
//! same transaction as the movement and its balance.

use async_trait::async_trait;

use super::SqlStore;
use super::engine::{Engine, Run, V};

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::corrupt;
use crate::domain::{
    AccountId, Change, Currency, Every, HistoryEntity, Money, Movement, Schedule, ScheduleId,
    UserId, splits_from_text, splits_to_text, tags_from_text, tags_to_text,
};
use crate::ports::{ScheduleRepository, StoreError};

/// The columns a [`ScheduleRow`] reads, with the account's currency.
pub(crate) const SELECT: &str = "SELECT s.id, s.owner_id, s.account_id, s.amount, \
    s.description, s.category, s.start_on, s.end_on, s.every, s.every_n, s.booked_through, \
    s.created_at, s.updated_at, s.splits, s.tags, a.currency \
    FROM schedules s JOIN accounts a ON a.id = s.account_id";

/// Joins the memberships of the schedule's account (as `am`), to read only a member's.
const MEMBER: &str = "JOIN account_members am ON am.account_id = s.account_id";

#[derive(sqlx::FromRow)]
pub struct ScheduleRow {
    id: Uuid,
    owner_id: Uuid,
    account_id: Uuid,
    amount: i64,
    description: String,
    category: Option<String>,
    start_on: Date,
    end_on: Option<Date>,
    every: String,
    every_n: i32,
    booked_through: Option<Date>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    splits: Option<String>,
    tags: Option<String>,
    currency: String,
}

impl ScheduleRow {
    /// The schedule and the latest date booked so far.
    pub(crate) fn into_schedule(self) -> Result<(Schedule, Option<Date>), StoreError> {
        let currency = Currency::parse(&self.currency).map_err(|e| corrupt("currency", e))?;
        let every =
            Every::from_stored(&self.every).ok_or_else(|| corrupt("schedule", std::fmt::Error))?;
        Ok((
            Schedule {
                id: ScheduleId(self.id),
                owner_id: UserId(self.owner_id),
                account: AccountId(self.account_id),
                amount: Money::from_minor(self.amount, currency),
                description: self.description,
                category: self.category,
                start: self.start_on,
                end: self.end_on,
                every,
                interval: u32::try_from(self.every_n).unwrap_or(1),
                created_at: self.created_at,
                updated_at: self.updated_at,
                splits: self
                    .splits
                    .as_deref()
                    .map(|t| splits_from_text(t, currency))
                    .transpose()
                    .map_err(|e| corrupt("schedule parts", std::io::Error::other(e)))?,
                tags: tags_from_text(self.tags.as_deref()),
            },
            self.booked_through,
        ))
    }
}

#[async_trait]
impl<E: Engine> ScheduleRepository for SqlStore<E> {
    async fn create_schedule(&self, s: &Schedule) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<E::Db>(
            "INSERT INTO schedules (id, owner_id, account_id, amount, description, \
             category, start_on, end_on, every, every_n, created_at, updated_at, splits, tags) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(V(&s.id.0))
        .bind(V(&s.owner_id.0))
        .bind(V(&s.account.0))
        .bind(V(&s.amount.minor()))
        .bind(V(&s.description))
        .bind(V(&s.category))
        .bind(V(&s.start))
        .bind(V(&s.end))
        .bind(V(s.every.as_str()))
        .bind(V(&i32::try_from(s.interval).unwrap_or(i32::MAX)))
        .bind(V(&s.created_at))
        .bind(V(&s.updated_at))
        .bind(V(&s.splits.as_deref().map(splits_to_text)))
        .bind(V(&tags_to_text(&s.tags)))
        .run(&mut *tx)
        .await?;
        let change = Self::schedule_change(s.owner_id, s.created_at, None, Some(s));
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_schedule(
        &self,
        owner: UserId,
        id: ScheduleId,
    ) -> Result<Option<Schedule>, StoreError> {
        let sql = format!("{SELECT} {MEMBER} WHERE s.id = $1 AND am.user_id = $2");
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&id.0))
            .bind(V(&owner.0))
            .optional::<ScheduleRow>(&self.pool)
            .await?
            .map(|r| r.into_schedule().map(|(s, _)| s))
            .transpose()
    }

    async fn list_schedules(&self, owner: UserId) -> Result<Vec<Schedule>, StoreError> {
        let sql =
            format!("{SELECT} {MEMBER} WHERE am.user_id = $1 ORDER BY s.start_on, s.created_at");
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&owner.0))
            .all::<ScheduleRow>(self.lists())
            .await?
            .into_iter()
            .map(|r| r.into_schedule().map(|(s, _)| s))
            .collect()
    }

    async fn update_schedule(
        &self,
        user: UserId,
        before: &Schedule,
        s: &Schedule,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        Self::lock_schedule(&mut tx, user, s.id).await?;
        let changed = sqlx::query::<E::Db>(
            "UPDATE schedules SET amount = $2, description = $3, category = $4, \
             start_on = $5, end_on = $6, every = $7, every_n = $8, updated_at = $9, \
             splits = $10, tags = $11 WHERE id = $1",
        )
        .bind(V(&s.id.0))
        .bind(V(&s.amount.minor()))
        .bind(V(&s.description))
        .bind(V(&s.category))
        .bind(V(&s.start))
        .bind(V(&s.end))
        .bind(V(s.every.as_str()))
        .bind(V(&i32::try_from(s.interval).unwrap_or(i32::MAX)))
        .bind(V(&s.updated_at))
        .bind(V(&s.splits.as_deref().map(splits_to_text)))
        .bind(V(&tags_to_text(&s.tags)))
        .run(&mut *tx)
        .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let change = Self::schedule_change(user, s.updated_at, Some(before), Some(s));
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_schedule(
        &self,
        user: UserId,
        id: ScheduleId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        Self::lock_schedule(&mut tx, user, id).await?;
        let before = sqlx::query::<E::Db>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE s.id = $1")))
            .bind(V(&id.0))
            .optional::<ScheduleRow>(&mut *tx)
            .await?
            .map(|r| r.into_schedule().map(|(s, _)| s))
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        sqlx::query::<E::Db>("DELETE FROM schedules WHERE id = $1")
            .bind(V(&id.0))
            .run(&mut *tx)
            .await?;
        let change = Self::schedule_change(user, at, Some(&before), None);
        Self::record(&mut tx, &[change]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn due_schedules(
        &self,
        owner: Option<UserId>,
        through: time::Date,
    ) -> Result<Vec<(Schedule, Option<time::Date>)>, StoreError> {
        let sql = format!(
            "{} WHERE s.start_on <= $1 \
             AND (s.booked_through IS NULL OR s.booked_through < $1) \
             AND (s.end_on IS NULL OR s.booked_through IS NULL \
                  OR s.booked_through < s.end_on) \
             AND ($2 IS NULL OR s.account_id IN \
                  (SELECT account_id FROM account_members WHERE user_id = $2)) \
             AND EXISTS (SELECT 1 FROM account_members w WHERE w.account_id = s.account_id \
                  AND w.user_id = s.owner_id AND w.role IN ('owner', 'editor'))",
            SELECT
        );
        sqlx::query::<E::Db>(sqlx::AssertSqlSafe(sql))
            .bind(V(&through))
            .bind(V(&owner.map(|o| o.0)))
            .all::<ScheduleRow>(&self.pool)
            .await?
            .into_iter()
            .map(|r| r.into_schedule())
            .collect()
    }

    async fn book(
        &self,
        schedule: &Schedule,
        movements: &[Movement],
    ) -> Result<(usize, usize), StoreError> {
        let Some(last) = movements.iter().map(|m| m.occurred_on).max() else {
            return Ok((0, 0));
        };
        let mut tx = self.begin_write().await?;
        // The account's row lock orders bookings of one account; the key skips a
        // date another run booked first.
        let books = Self::lock_books(&mut *tx, schedule.owner_id, schedule.account).await?;
        let mut balance = books.balance;
        let mut booked = Vec::new();
        let mut skipped = 0;
        for m in movements {
            // Never backdated into reconciled days; `booked_through` passes the date, so
            // it is not tried again.
            if books.open_on(m.occurred_on).is_err() {
                skipped += 1;
                continue;
            }
            let new = sqlx::query::<E::Db>(
                "INSERT INTO schedule_bookings (schedule_id, day, movement_id) \
                 VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(V(&schedule.id.0))
            .bind(V(&m.occurred_on))
            .bind(V(&m.id.0))
            .run(&mut *tx)
            .await?
                == 1;
            if new {
                balance = super::movements::moved(balance, m)?;
                booked.push(m);
            }
        }
        Self::insert_rows(&mut *tx, booked.iter().copied()).await?;
        let changes: Vec<Change> = booked
            .iter()
            .map(|m| Change::created(schedule.owner_id, m))
            .collect();
        Self::record(&mut *tx, &changes).await?;
        if !booked.is_empty() {
            Self::store_balance(&mut *tx, schedule.account, balance).await?;
        }
        sqlx::query::<E::Db>(
            "UPDATE schedules SET booked_through = $2 WHERE id = $1 \
             AND (booked_through IS NULL OR booked_through < $2)",
        )
        .bind(V(&schedule.id.0))
        .bind(V(&last))
        .run(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((booked.len(), skipped))
    }
}

impl<E: Engine> SqlStore<E> {
    fn schedule_change(
        by: UserId,
        at: OffsetDateTime,
        before: Option<&Schedule>,
        after: Option<&Schedule>,
    ) -> Change {
        let s = after.or(before);
        let (account, id) = s.map_or((AccountId(Uuid::nil()), Uuid::nil()), |s| {
            (s.account, s.id.0)
        });
        Change::of(account, at, by, HistoryEntity::Schedule, id, before, after)
    }

    /// Locks the schedule's account for a change to the schedule, if `user` may write to
    /// it (`NotFound` if there is no such schedule for them).
    async fn lock_schedule(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        user: UserId,
        id: ScheduleId,
    ) -> Result<(), StoreError> {
        let (account,) = sqlx::query::<E::Db>("SELECT account_id FROM schedules WHERE id = $1")
            .bind(V(&id.0))
            .optional::<(Uuid,)>(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::lock_account(conn, user, AccountId(account)).await?;
        Ok(())
    }
}
