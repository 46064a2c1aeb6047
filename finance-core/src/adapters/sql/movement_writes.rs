//! Writing movement rows with what hangs off them: a split movement's parts and a tagged
//! movement's tags, one row each in `movement_parts` and `movement_tags` (what reports and
//! filters read), written in the caller's transaction with the movement.

use super::SqlStore;
use super::engine::{Engine, Run, V};
use super::movement_rows::ROWS_PER_INSERT;
use crate::domain::{Movement, splits_to_text, tags_to_text};
use crate::ports::StoreError;

impl<E: Engine> SqlStore<E> {
    /// Inserts movement rows, many to a statement, with their parts and tags; their
    /// balance is the caller's to store.
    pub(crate) async fn insert_rows<'m>(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        movements: impl IntoIterator<Item = &'m Movement>,
    ) -> Result<(), StoreError> {
        let all: Vec<&Movement> = movements.into_iter().collect();
        for chunk in all.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO movements (id, account_id, amount, description, category, \
                 occurred_on, transfer_id, schedule_id, created_at, updated_at, \
                 created_by, updated_by, splits, tags, rule_id) ",
            );
            sql.push_values(chunk, |mut row, m| {
                row.push_bind(V(&m.id.0))
                    .push_bind(V(&m.account_id.0))
                    .push_bind(V(&m.amount.minor()))
                    .push_bind(V(&m.description.clone()))
                    .push_bind(V(&m.category.clone()))
                    .push_bind(V(&m.occurred_on))
                    .push_bind(V(&m.transfer_id.map(|t| t.0)))
                    .push_bind(V(&m.schedule_id.map(|t| t.0)))
                    .push_bind(V(&m.created_at))
                    .push_bind(V(&m.updated_at))
                    .push_bind(V(&m.created_by.id.0))
                    .push_bind(V(&m.updated_by.id.0))
                    .push_bind(V(&m.splits.as_deref().map(splits_to_text)))
                    .push_bind(V(&tags_to_text(&m.tags)))
                    .push_bind(V(&m.rule_id.map(|r| r.0)));
            });
            sql.build().run(&mut *conn).await?;
        }
        Self::insert_details(conn, &all).await
    }

    /// The parts and tags rows of `movements` (those that have any).
    pub(crate) async fn insert_details(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        movements: &[&Movement],
    ) -> Result<(), StoreError> {
        let parts: Vec<(&Movement, usize)> = movements
            .iter()
            .flat_map(|m| (0..m.splits.as_ref().map_or(0, Vec::len)).map(move |i| (*m, i)))
            .collect();
        for chunk in parts.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO movement_parts \
                 (movement_id, part, account_id, occurred_on, category, amount) ",
            );
            sql.push_values(chunk, |mut row, (m, i)| {
                let part = m.splits.as_ref().and_then(|p| p.get(*i));
                row.push_bind(V(&m.id.0))
                    .push_bind(V(&(*i as i64)))
                    .push_bind(V(&m.account_id.0))
                    .push_bind(V(&m.occurred_on))
                    .push_bind(V(&part.map(|p| p.category.clone()).unwrap_or_default()))
                    .push_bind(V(&part.map_or(0, |p| p.amount.minor())));
            });
            sql.build().run(&mut *conn).await?;
        }
        let tags: Vec<(&Movement, &String)> = movements
            .iter()
            .flat_map(|m| m.tags.iter().map(move |t| (*m, t)))
            .collect();
        for chunk in tags.chunks(ROWS_PER_INSERT) {
            let mut sql = sqlx::QueryBuilder::<E::Db>::new(
                "INSERT INTO movement_tags (account_id, tag, movement_id) ",
            );
            sql.push_values(chunk, |mut row, (m, tag)| {
                row.push_bind(V(&m.account_id.0))
                    .push_bind(V(tag.as_str()))
                    .push_bind(V(&m.id.0));
            });
            sql.build().run(&mut *conn).await?;
        }
        Ok(())
    }

    /// Replaces a changed movement's parts and tags rows with `after`'s (when they, or the
    /// date the parts are filed under, changed).
    pub(crate) async fn replace_details(
        conn: &mut <E::Db as sqlx::Database>::Connection,
        before: &Movement,
        after: &Movement,
    ) -> Result<(), StoreError> {
        let parts_same = before.splits == after.splits && before.occurred_on == after.occurred_on;
        if parts_same && before.tags == after.tags {
            return Ok(());
        }
        if before.splits.is_some() {
            sqlx::query::<E::Db>("DELETE FROM movement_parts WHERE movement_id = $1")
                .bind(V(&before.id.0))
                .run(&mut *conn)
                .await?;
        }
        if !before.tags.is_empty() {
            sqlx::query::<E::Db>("DELETE FROM movement_tags WHERE movement_id = $1")
                .bind(V(&before.id.0))
                .run(&mut *conn)
                .await?;
        }
        Self::insert_details(conn, &[after]).await
    }
}
