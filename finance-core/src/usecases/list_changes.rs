use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use time::OffsetDateTime;

use super::{App, Error};
use crate::domain::{
    Account, AccountId, BudgetQueryInput, ChangeItem, ChangePage, ChangesCursor, ChangesQuery,
    ChangesQueryInput, FeedAction, FeedEntity, FeedPosition, MovementQuery, MovementQueryInput,
    RateQueryInput, TransferId, UserId,
};
use crate::ports::FeedRow;

/// The kinds of record the current state is read in, one stage after another.
const SMALL_KINDS: u8 = 0;
const MOVEMENTS: u8 = 1;
const RATES: u8 = 2;

impl App {
    /// A page of what changed for `user` since their cursor (every record they can see,
    /// each in its latest state), or without one the current state of everything, after
    /// which the cursor goes on from where the feed stood when it began.
    pub async fn list_changes(
        &self,
        user: UserId,
        input: &ChangesQueryInput,
    ) -> Result<ChangePage, Error> {
        let query = ChangesQuery::parse(input)?;
        match query.since {
            None => {
                let head = self.feed.feed_head().await?;
                self.snapshot(user, head, SMALL_KINDS, None, query.limit)
                    .await
            }
            Some(ChangesCursor::Snapshot { head, stage, inner }) => {
                self.still_kept(head).await?;
                self.snapshot(user, head, stage, inner, query.limit).await
            }
            Some(ChangesCursor::After(after)) => {
                self.still_kept(after).await?;
                self.follow(user, after, query.limit).await
            }
        }
    }

    /// A cursor behind what was purged has missed changes: the client reads everything
    /// again (410).
    async fn still_kept(&self, at: FeedPosition) -> Result<(), Error> {
        if at < self.feed.feed_floor().await? {
            return Err(Error::CursorExpired);
        }
        Ok(())
    }

    async fn follow(
        &self,
        user: UserId,
        after: FeedPosition,
        limit: u16,
    ) -> Result<ChangePage, Error> {
        let mut rows = self.feed.changes(user, after, limit + 1).await?;
        let has_more = rows.len() > usize::from(limit);
        rows.truncate(usize::from(limit));
        let next = rows.last().map_or(after, |r| r.position);
        Ok(ChangePage {
            items: self.latest(user, &rows).await?,
            next: ChangesCursor::After(next).encode(),
            has_more,
        })
    }

    /// Each record named by `rows` as it is now (once, at its last row's place), and the
    /// account of each movement, transfer and member change after it: its balance or its
    /// members moved.
    async fn latest(&self, user: UserId, rows: &[FeedRow]) -> Result<Vec<ChangeItem>, Error> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let mut named: Vec<(FeedEntity, String, OffsetDateTime, Option<AccountId>)> = Vec::new();
        // Whether the record's last row here is a deletion.
        let mut gone: HashMap<(FeedEntity, String), bool> = HashMap::new();
        for r in rows {
            named.push((r.entity, r.entity_id.clone(), r.at, r.account_id));
            gone.insert(
                (r.entity, r.entity_id.clone()),
                r.action == FeedAction::Deleted,
            );
            if let (Some(a), FeedEntity::Movement | FeedEntity::Transfer | FeedEntity::Member) =
                (r.account_id, r.entity)
            {
                named.push((FeedEntity::Account, a.to_string(), r.at, None));
                gone.insert((FeedEntity::Account, a.to_string()), false);
            }
        }
        // Last place wins: a record changed twice in a page is listed once, as it is now.
        let mut last: HashMap<(FeedEntity, String), usize> = HashMap::new();
        for (i, (entity, id, ..)) in named.iter().enumerate() {
            last.insert((*entity, id.clone()), i);
        }
        let wanted = |kind: FeedEntity| -> Vec<&str> {
            named
                .iter()
                .filter(|(e, ..)| *e == kind)
                .map(|(_, id, ..)| id.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let mut states = States::default();
        let accounts = self.list_accounts(user).await?;
        for a in &accounts {
            states.put(FeedEntity::Account, a.id.to_string(), a);
        }
        self.movement_states(&accounts, &wanted(FeedEntity::Movement), &mut states)
            .await?;
        for id in wanted(FeedEntity::Transfer) {
            if let Ok(t) = id.parse().map(TransferId)
                && let Some(t) = self.transfers.get_transfer(user, t).await?
            {
                states.put(FeedEntity::Transfer, id.to_string(), &t);
            }
        }
        if !wanted(FeedEntity::Schedule).is_empty() {
            for s in self.schedules.list_schedules(user).await? {
                states.put(FeedEntity::Schedule, s.id.to_string(), &s);
            }
        }
        if !wanted(FeedEntity::Budget).is_empty() {
            let budgets = self
                .list_budgets(user, &BudgetQueryInput::default())
                .await?;
            for b in &budgets.items {
                states.put(FeedEntity::Budget, b.category.clone(), b);
            }
        }
        for id in wanted(FeedEntity::Rate) {
            self.rate_state(user, id, &mut states).await?;
        }
        if !wanted(FeedEntity::Rule).is_empty() {
            for r in self.rules.rules(user).await? {
                states.put(FeedEntity::Rule, r.id.to_string(), &r);
            }
        }
        let member_accounts: BTreeSet<AccountId> = named
            .iter()
            .filter(|(e, ..)| *e == FeedEntity::Member)
            .filter_map(|(.., a)| *a)
            .filter(|a| accounts.iter().any(|v| v.id == *a))
            .collect();
        for a in member_accounts {
            for m in self.list_members(user, a).await?.items {
                if let Some(id) = m.user_id {
                    states.put(FeedEntity::Member, id.to_string(), &m);
                }
            }
        }
        // A record that is gone although its row here says it was written is left out: its
        // deletion's row comes later, and says so once (never "deleted" twice).
        Ok(named
            .into_iter()
            .enumerate()
            .filter(|(i, (e, id, ..))| last.get(&(*e, id.clone())) == Some(i))
            .filter_map(|(_, (entity, id, at, _))| {
                let data = states.take(entity, &id);
                let deleted = gone.get(&(entity, id.clone())).copied().unwrap_or(false);
                let action = match (&data, deleted) {
                    (Some(_), _) => FeedAction::Upserted,
                    (None, true) => FeedAction::Deleted,
                    (None, false) => return None,
                };
                Some(ChangeItem {
                    entity,
                    action,
                    id,
                    at,
                    data,
                })
            })
            .collect())
    }

    async fn movement_states(
        &self,
        accounts: &[Account],
        ids: &[&str],
        states: &mut States,
    ) -> Result<(), Error> {
        let ids: Vec<uuid::Uuid> = ids.iter().filter_map(|i| i.parse().ok()).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let query = MovementQuery {
            limit: crate::domain::MAX_LIMIT,
            ids,
            ..Default::default()
        };
        for m in self.movements.list_movements(accounts, &query).await?.items {
            states.put(FeedEntity::Movement, m.id.to_string(), &m);
        }
        Ok(())
    }

    /// A rate by its `BASE/QUOTE/DATE`.
    async fn rate_state(&self, user: UserId, id: &str, states: &mut States) -> Result<(), Error> {
        let mut parts = id.split('/');
        let (Some(base), Some(quote), Some(day)) = (parts.next(), parts.next(), parts.next())
        else {
            return Ok(());
        };
        let input = RateQueryInput {
            base: Some(base.into()),
            quote: Some(quote.into()),
            from: Some(day.into()),
            to: Some(day.into()),
            ..Default::default()
        };
        if let Ok(page) = self.list_rates(user, &input).await {
            for r in page.items {
                states.put(FeedEntity::Rate, id.to_string(), &r);
            }
        }
        Ok(())
    }

    /// One page of the current state: the small kinds at once, then movements (with the
    /// transfers of their legs) and rates a page at a time; then the feed from `head`.
    async fn snapshot(
        &self,
        user: UserId,
        head: FeedPosition,
        stage: u8,
        inner: Option<String>,
        limit: u16,
    ) -> Result<ChangePage, Error> {
        let now = self.clock.now();
        let mut items = Vec::new();
        let mut put = |entity: FeedEntity, id: String, data: serde_json::Value| {
            items.push(ChangeItem {
                entity,
                id,
                action: FeedAction::Upserted,
                at: now,
                data: Some(data),
            })
        };
        let next = match stage {
            SMALL_KINDS => {
                let accounts = self.list_accounts(user).await?;
                for a in &accounts {
                    put(FeedEntity::Account, a.id.to_string(), value(a));
                    for m in self.list_members(user, a.id).await?.items {
                        if let Some(id) = m.user_id {
                            put(FeedEntity::Member, id.to_string(), value(&m));
                        }
                    }
                }
                for s in self.schedules.list_schedules(user).await? {
                    put(FeedEntity::Schedule, s.id.to_string(), value(&s));
                }
                for b in self
                    .list_budgets(user, &BudgetQueryInput::default())
                    .await?
                    .items
                {
                    put(FeedEntity::Budget, b.category.clone(), value(&b));
                }
                for r in self.rules.rules(user).await? {
                    put(FeedEntity::Rule, r.id.to_string(), value(&r));
                }
                ChangesCursor::Snapshot {
                    head,
                    stage: MOVEMENTS,
                    inner: None,
                }
            }
            MOVEMENTS => {
                let input = MovementQueryInput {
                    limit: Some(limit.to_string()),
                    cursor: inner,
                    ..Default::default()
                };
                let page = self.list_all_movements(user, &input).await?;
                let mut transfers = BTreeSet::new();
                for m in &page.items {
                    put(FeedEntity::Movement, m.id.to_string(), value(m));
                    transfers.extend(m.transfer_id);
                }
                for t in transfers {
                    if let Some(t) = self.transfers.get_transfer(user, t).await? {
                        put(FeedEntity::Transfer, t.id.to_string(), value(&t));
                    }
                }
                match page.next_cursor {
                    Some(c) => ChangesCursor::Snapshot {
                        head,
                        stage: MOVEMENTS,
                        inner: Some(c.encode()),
                    },
                    None => ChangesCursor::Snapshot {
                        head,
                        stage: RATES,
                        inner: None,
                    },
                }
            }
            RATES => {
                let input = RateQueryInput {
                    limit: Some(limit.to_string()),
                    cursor: inner,
                    ..Default::default()
                };
                let page = self.list_rates(user, &input).await?;
                for r in &page.items {
                    let id = format!("{}/{}/{}", r.base.code(), r.quote.code(), r.date);
                    put(FeedEntity::Rate, id, value(r));
                }
                match page.next_cursor {
                    Some(c) => ChangesCursor::Snapshot {
                        head,
                        stage: RATES,
                        inner: Some(c.encode()),
                    },
                    None => ChangesCursor::After(head),
                }
            }
            // A stage this version does not know: the state is read, follow the feed.
            _ => ChangesCursor::After(head),
        };
        Ok(ChangePage {
            items,
            next: next.encode(),
            // After the state, the feed may already hold what changed meanwhile.
            has_more: true,
        })
    }
}

/// A record as its route answers it.
fn value(record: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(record).unwrap_or(serde_json::Value::Null)
}

/// The records read for a page, by kind and id.
#[derive(Default)]
struct States(HashMap<(FeedEntity, String), serde_json::Value>);

impl States {
    fn put(&mut self, entity: FeedEntity, id: String, record: &impl Serialize) {
        self.0.insert((entity, id), value(record));
    }

    fn take(&mut self, entity: FeedEntity, id: &str) -> Option<serde_json::Value> {
        self.0.get(&(entity, id.to_string())).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usecases::testing::Mocks;

    #[tokio::test]
    async fn a_cursor_behind_the_purged_rows_must_read_everything_again() {
        let mut m = Mocks::new();
        let floor = FeedPosition { xid: 7, seq: 70 };
        m.feed.expect_feed_floor().returning(move || Ok(floor));
        m.feed.expect_changes().times(0);
        let app = m.app();
        let behind = ChangesQueryInput {
            since: Some(FeedPosition { xid: 7, seq: 69 }.encode()),
            limit: None,
        };
        let answer = app.list_changes(UserId::random(), &behind).await;
        assert!(matches!(answer, Err(Error::CursorExpired)), "{answer:?}");
    }

    #[tokio::test]
    async fn an_empty_page_keeps_the_cursor_and_says_there_is_no_more() {
        let mut m = Mocks::new();
        m.feed
            .expect_feed_floor()
            .returning(|| Ok(FeedPosition::default()));
        m.feed
            .expect_changes()
            .withf(|_, after, limit| after.seq == 70 && *limit == 101)
            .returning(|_, _, _| Ok(Vec::new()));
        let app = m.app();
        let at = ChangesQueryInput {
            since: Some("7.70".into()),
            limit: None,
        };
        let page = app.list_changes(UserId::random(), &at).await.expect("page");
        assert!(page.items.is_empty());
        assert_eq!(page.next, "7.70");
        assert!(!page.has_more);
    }
}
