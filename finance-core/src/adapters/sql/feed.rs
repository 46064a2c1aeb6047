//! The change feed for both engines: every write path appends its rows here in its own
//! transaction ([`SqlStore::feed`]; an account's history entries are fed by
//! [`SqlStore::record`]), and it is read here.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use super::engine::{Engine, Run, V};
use super::movement_rows::ROWS_PER_INSERT;
use super::{SqlStore, corrupt};
use crate::domain::{AccountId, Fed, FeedAction, FeedEntity, FeedPosition, UserId};
use crate::ports::{FeedRepository, FeedRow, StoreError};

impl<E: Engine> SqlStore<E> {
    /// Appends `rows` to the feed, in the caller's transaction. On Postgres each row takes
    /// the transaction's id from the column's default.
    pub(crate) async fn feed(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        rows: &[Fed],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO changes (account_id, user_id, at, entity, entity_id, action) ",
            );
            sql.push_values(chunk, |mut row, f| {
                row.push_bind(V(&f.account_id.map(|a| a.0)))
                    .push_bind(V(&f.user_id.map(|u| u.0)))
                    .push_bind(V(&f.at))
                    .push_bind(V(f.entity.name()))
                    .push_bind(V(f.entity_id.as_str()))
                    .push_bind(V(f.action.name()));
            });
            sql.build().run(&mut *conn).await?;
        }
        Ok(())
    }
}

/// A feed row as stored; the transaction id comes as text (0 on SQLite).
#[derive(sqlx::FromRow)]
pub struct FeedRowRaw {
    xid: String,
    seq: i64,
    account_id: Option<Uuid>,
    at: OffsetDateTime,
    entity: String,
    entity_id: String,
    action: String,
}

fn position(xid: &str, seq: i64) -> Result<FeedPosition, StoreError> {
    Ok(FeedPosition {
        xid: xid.parse().map_err(|e| corrupt("feed position", e))?,
        seq,
    })
}

impl TryFrom<FeedRowRaw> for FeedRow {
    type Error = StoreError;

    fn try_from(r: FeedRowRaw) -> Result<Self, StoreError> {
        let name = |what: &str| corrupt(what, std::fmt::Error);
        Ok(FeedRow {
            position: position(&r.xid, r.seq)?,
            account_id: r.account_id.map(AccountId),
            at: r.at,
            entity: FeedEntity::from_name(&r.entity).ok_or_else(|| name("feed entity"))?,
            entity_id: r.entity_id,
            action: FeedAction::from_name(&r.action).ok_or_else(|| name("feed action"))?,
        })
    }
}

#[async_trait]
impl<E: Engine> FeedRepository for SqlStore<E> {
    async fn changes(
        &self,
        user: UserId,
        after: FeedPosition,
        limit: u16,
    ) -> Result<Vec<FeedRow>, StoreError> {
        // From the primary: a replica's snapshot could lag behind a cursor handed out.
        sqlx::query::<E::Db>(E::FEED_PAGE)
            .bind(V(&user.0))
            .bind(V(after.xid.to_string().as_str()))
            .bind(V(&after.seq))
            .bind(V(&i64::from(limit)))
            .all::<FeedRowRaw>(&self.pool)
            .await?
            .into_iter()
            .map(FeedRow::try_from)
            .collect()
    }

    async fn feed_head(&self) -> Result<FeedPosition, StoreError> {
        let head = sqlx::query::<E::Db>(E::FEED_HEAD)
            .optional::<(String, i64)>(&self.pool)
            .await?;
        match head {
            Some((xid, seq)) => position(&xid, seq),
            None => self.feed_floor().await,
        }
    }

    async fn feed_floor(&self) -> Result<FeedPosition, StoreError> {
        let (xid, seq) = sqlx::query::<E::Db>(E::FEED_FLOOR)
            .one::<(String, i64)>(&self.pool)
            .await?;
        position(&xid, seq)
    }
}

impl<E: Engine> SqlStore<E> {
    /// Deletes the feed's rows written before `cutoff`, raising the floor past them so a
    /// cursor that had not read them is told it missed some. How many went.
    pub(crate) async fn purge_feed(&self, cutoff: OffsetDateTime) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query::<E::Db>(E::FEED_RAISE_FLOOR)
            .bind(V(&cutoff))
            .run(&mut *tx)
            .await?;
        let gone = sqlx::query::<E::Db>(E::FEED_PURGE)
            .bind(V(&cutoff))
            .run(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(gone)
    }
}
