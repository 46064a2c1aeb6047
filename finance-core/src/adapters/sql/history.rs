//! The history of the accounts for both engines: each write path records its changes with
//! [`SqlStore::record`] in its own transaction; the history is read here, newest first.

use async_trait::async_trait;
use time::OffsetDateTime;
use uuid::Uuid;

use super::SqlStore;
use super::corrupt;
use super::engine::{Engine, Run, V};
use super::movement_rows::ROWS_PER_INSERT;
use crate::domain::{
    AccountId, Change, Email, Fed, HistoryAction, HistoryEntity, HistoryEntry, HistoryPage,
    HistoryQuery, Hooked, ImportRow, Imported, UserId, UserRef,
};
use crate::ports::{HistoryRepository, StoreError};

#[derive(sqlx::FromRow)]
pub struct HistoryRow {
    seq: i64,
    at: OffsetDateTime,
    by_id: Uuid,
    by_email: Option<String>,
    action: String,
    entity: String,
    entity_id: Uuid,
    before: Option<String>,
    after: Option<String>,
}

impl TryFrom<HistoryRow> for HistoryEntry {
    type Error = StoreError;

    fn try_from(r: HistoryRow) -> Result<Self, StoreError> {
        let shape = |text: Option<String>| {
            text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt("history record", e)))
                .transpose()
        };
        let name = |what: &str| corrupt(what, std::fmt::Error);
        Ok(HistoryEntry {
            at: r.at,
            by: UserRef {
                id: UserId(r.by_id),
                email: r.by_email.and_then(|e| Email::parse(&e).ok()),
            },
            action: HistoryAction::from_name(&r.action).ok_or_else(|| name("history action"))?,
            entity: HistoryEntity::from_name(&r.entity).ok_or_else(|| name("history entity"))?,
            entity_id: r.entity_id,
            before: shape(r.before)?,
            after: shape(r.after)?,
        })
    }
}

#[async_trait]
impl<E: Engine> HistoryRepository for SqlStore<E> {
    async fn history(
        &self,
        _user: UserId,
        account: AccountId,
        q: &HistoryQuery,
    ) -> Result<HistoryPage, StoreError> {
        // One row more than asked tells whether another page exists; the limit is a
        // checked integer, written into the text as the movements' pages do.
        let limit = u32::from(q.limit) + 1;
        let mut sql = sqlx::QueryBuilder::<E::Db>::new(
            "SELECT h.seq, h.at, h.by_id, u.email AS by_email, h.action, h.entity, \
             h.entity_id, h.before, h.after FROM history h LEFT JOIN users u ON u.id = h.by_id \
             WHERE h.account_id = ",
        );
        sql.push_bind(V(&account.0));
        if let Some(id) = q.entity_id {
            sql.push(" AND h.entity_id = ").push_bind(V(&id));
        }
        if let Some(before) = q.before {
            sql.push(" AND h.seq < ").push_bind(V(&before));
        }
        sql.push(format!(" ORDER BY h.seq DESC LIMIT {limit}"));
        let rows = sql.build().all::<HistoryRow>(&self.pool).await?;
        let more = rows.len() > usize::from(q.limit);
        let mut seqs = Vec::with_capacity(rows.len());
        let mut items = Vec::with_capacity(rows.len());
        for row in rows.into_iter().take(usize::from(q.limit)) {
            seqs.push(row.seq);
            items.push(HistoryEntry::try_from(row)?);
        }
        Ok(HistoryPage {
            items,
            next_cursor: seqs.last().filter(|_| more).map(i64::to_string),
        })
    }
}

impl<E: Engine> SqlStore<E> {
    /// Records an import as one entry naming its counts (not one per row), at the time
    /// its rows were made.
    pub(crate) async fn record_import(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        by: UserId,
        account: AccountId,
        rows: &[ImportRow],
        imported: &Imported,
    ) -> Result<(), StoreError> {
        let Some(at) = rows.first().map(|r| r.movement.created_at) else {
            return Ok(());
        };
        let id = crate::domain::time_ordered();
        let change = Change::of(
            account,
            at,
            by,
            HistoryEntity::Import,
            id,
            None,
            Some(imported),
        );
        Self::record(conn, &[change]).await
    }

    /// Appends `changes` to the history, feeds them and writes their webhook deliveries,
    /// in the caller's transaction.
    pub(crate) async fn record(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        changes: &[impl std::borrow::Borrow<Change> + Sync],
    ) -> Result<(), StoreError> {
        Self::record_hooked(conn, changes).await.map(|_| ())
    }

    /// [`Self::record`], answering whether any webhook is enabled (else no event of any
    /// kind need be looked for, `budget.exceeded` included).
    pub(crate) async fn record_hooked(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        changes: &[impl std::borrow::Borrow<Change> + Sync],
    ) -> Result<bool, StoreError> {
        for chunk in changes.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO history \
                 (account_id, at, by_id, action, entity, entity_id, before, after) ",
            );
            sql.push_values(chunk, |mut row, c| {
                let c = c.borrow();
                row.push_bind(V(&c.account_id.0))
                    .push_bind(V(&c.at))
                    .push_bind(V(&c.by.0))
                    .push_bind(V(c.action.name()))
                    .push_bind(V(c.entity.name()))
                    .push_bind(V(&c.entity_id))
                    .push_bind(V(&c.before))
                    .push_bind(V(&c.after));
            });
            sql.build().run(&mut *conn).await?;
        }
        let fed: Vec<Fed> = changes
            .iter()
            .flat_map(|c| Fed::of_change(c.borrow()))
            .collect();
        Self::feed(conn, &fed).await?;
        // Most books have no webhook at all: one tiny look spares making each change's
        // event (its record read back from JSON) and binding them all to a statement that
        // would insert nothing.
        if !Self::any_webhook(conn).await? {
            return Ok(false);
        }
        let hooked = Hooked::of_changes(changes);
        if !hooked.is_empty() {
            Self::hook(conn, &hooked).await?;
        }
        Ok(true)
    }
}
