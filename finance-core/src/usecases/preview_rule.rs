use super::{App, Error};
use crate::domain::{
    Account, Action, AmountBound, MAX_LIMIT, MovementQuery, PREVIEW_MAX, Rule, RuleChange, RuleId,
    RulePreview, UserId,
};

impl App {
    /// The first [`PREVIEW_MAX`] existing movements (newest first) the rule would change
    /// if applied with `overwrite`, and how; nothing is written.
    pub async fn preview_rule(
        &self,
        user: UserId,
        id: RuleId,
        overwrite: bool,
    ) -> Result<RulePreview, Error> {
        let rule = self.get_rule(user, id).await?;
        let items = self
            .rule_changes(user, &rule, overwrite, Some(PREVIEW_MAX))
            .await?;
        Ok(RulePreview { items })
    }

    /// What the rule would change, newest first, up to `most`: on the accounts the user may
    /// write to that its conditions allow, read a page at a time with the conditions the
    /// database can check (the text, the amounts), the rest checked here.
    pub(crate) async fn rule_changes(
        &self,
        user: UserId,
        rule: &Rule,
        overwrite: bool,
        most: Option<usize>,
    ) -> Result<Vec<RuleChange>, Error> {
        let accounts: Vec<Account> = self
            .accounts
            .list_accounts(user)
            .await?
            .into_iter()
            .filter(|a| a.role.may(Action::Write) && !a.archived)
            .filter(|a| {
                rule.when
                    .account
                    .as_deref()
                    .is_none_or(|id| id == a.id.to_string())
            })
            .filter(|a| {
                rule.when
                    .currency
                    .as_deref()
                    .is_none_or(|c| c == a.currency.code())
            })
            .collect();
        let bound = |b: &Option<String>, field| {
            b.as_deref().and_then(|t| AmountBound::parse(field, t).ok())
        };
        let mut query = MovementQuery {
            limit: MAX_LIMIT,
            // The store's text match folds ASCII case only (SQLite's LIKE): a text with other
            // letters is matched here alone, so that "CAFÉ" is found for "café".
            q: rule
                .when
                .description_contains
                .as_ref()
                .filter(|t| t.is_ascii())
                .map(|t| t.to_lowercase()),
            min: bound(&rule.when.amount_min, "min"),
            max: bound(&rule.when.amount_max, "max"),
            ..MovementQuery::default()
        };
        let change = rule.changer();
        let mut changes = Vec::new();
        loop {
            let page = self.movements.list_movements(&accounts, &query).await?;
            // A reconciled movement is locked: no rule changes it.
            for m in page.items.into_iter().filter(|m| !m.reconciled) {
                if let Some(after) = change(&m, overwrite) {
                    changes.push(RuleChange { movement: m, after });
                    if most.is_some_and(|n| changes.len() >= n) {
                        return Ok(changes);
                    }
                }
            }
            match page.next_cursor {
                Some(next) => query.cursor = Some(next),
                None => return Ok(changes),
            }
        }
    }
}
