//! The SQL of one account's page of movements, newest first (or oldest first for the
//! journal export), with only the filters in use written out.

use super::SqlStore;
use super::engine::{Engine, V};
use super::movement_rows::contains;
use crate::domain::{Account, MovementQuery};

impl<E: Engine> SqlStore<E> {
    /// One account's page: only the conditions in use are written out, so each
    /// shape of query gets a plan that walks the (account_id, occurred_on, seq)
    /// index directly. Amount bounds are turned into the account's minor units;
    /// with `indexed`, the text is matched by the statement's `hits`.
    pub(crate) fn push_page(
        sql: &mut sqlx::QueryBuilder<E::Db>,
        account: &Account,
        q: &MovementQuery,
        limit: u32,
        indexed: bool,
    ) {
        sql.push(concat!(
            "SELECT seq, id, account_id, amount, description, category, occurred_on, ",
            "transfer_id, schedule_id, created_at, updated_at, created_by, updated_by, ",
            "splits, tags, rule_id ",
            "FROM movements WHERE account_id = "
        ));
        sql.push_bind(V(&account.id.0));
        if let Some(from) = q.from {
            sql.push(" AND occurred_on >= ").push_bind(V(&from));
        }
        if let Some(to) = q.to {
            sql.push(" AND occurred_on <= ").push_bind(V(&to));
        }
        if let Some(text) = &q.q {
            if indexed {
                sql.push(" AND seq IN (SELECT seq FROM hits)");
            } else {
                sql.push(" AND description ")
                    .push(E::ILIKE)
                    .push(" ")
                    .push_bind(V(&contains(text)))
                    .push(" ESCAPE '\\'");
            }
        }
        if let Some(category) = &q.category {
            // A split movement is found by any of its parts' categories.
            sql.push(" AND (category = ")
                .push_bind(V(&category.clone()))
                .push(" OR (splits IS NOT NULL AND id IN (SELECT movement_id FROM movement_parts WHERE account_id = ")
                .push_bind(V(&account.id.0))
                .push(" AND category = ")
                .push_bind(V(&category.clone()))
                .push(")))");
        }
        if !q.ids.is_empty() {
            let mut ids = sql.push(" AND id IN (").separated(", ");
            for id in &q.ids {
                ids.push_bind(V(id));
            }
            sql.push(")");
        }
        for tag in &q.tags {
            sql.push(" AND id IN (SELECT movement_id FROM movement_tags WHERE account_id = ")
                .push_bind(V(&account.id.0))
                .push(" AND tag = ")
                .push_bind(V(tag.as_str()))
                .push(")");
        }
        let exp = account.currency.exponent();
        if let Some(min) = q.min {
            sql.push(" AND amount >= ")
                .push_bind(V(&min.minor(exp, true)));
        }
        if let Some(max) = q.max {
            sql.push(" AND amount <= ")
                .push_bind(V(&max.minor(exp, false)));
        }
        if let Some(c) = q.cursor {
            let past = if q.oldest_first { ">" } else { "<" };
            sql.push(format!(" AND (occurred_on, seq) {past} ("))
                .push_bind(V(&c.occurred_on))
                .push(", ")
                .push_bind(V(&c.seq))
                .push(")");
        }
        sql.push(format!(
            " ORDER BY occurred_on {dir}, seq {dir} LIMIT {limit}",
            dir = direction(q)
        ));
    }
}

/// The order of a page: newest first, unless asked oldest first.
pub(crate) fn direction(q: &MovementQuery) -> &'static str {
    if q.oldest_first { "ASC" } else { "DESC" }
}
