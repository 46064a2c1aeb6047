use super::{App, Error};
use crate::domain::{Applied, ApplyInput, RuleId, UserId};
use crate::ports::StoreError;

/// Tries an apply again this many times when a movement changed while it was being read.
const TRIES: usize = 3;

impl App {
    /// Changes every existing movement the rule would change (see
    /// [`App::preview_rule`]) in one transaction, stamped as the user's change now.
    ///
    /// With an idempotency key, a retry of the same request answers the first count
    /// (`true` second) and writes nothing; the key with another request is a conflict.
    pub async fn apply_rule(
        &self,
        user: UserId,
        id: RuleId,
        input: &ApplyInput,
        idempotency_key: Option<&str>,
    ) -> Result<(Applied, bool), Error> {
        let key = idempotency_key
            .map(|k| super::add_movement::fingerprinted(k, &format!("apply:{id}"), input))
            .transpose()?;
        let rule = self.get_rule(user, id).await?;
        let by = self.author(user).await?;
        let mut tries = 0;
        loop {
            let now = self.clock.now();
            let changes: Vec<_> = self
                .rule_changes(user, &rule, input.overwrite, None)
                .await?
                .into_iter()
                .map(|c| {
                    let mut after = c.after;
                    after.updated_at = now;
                    after.updated_by = by.clone();
                    (c.movement, after)
                })
                .collect();
            match self.rules.apply_rule(user, id, &changes, key.clone()).await {
                Ok((changed, replayed)) => return Ok((Applied { changed }, replayed)),
                Err(StoreError::Stale) if tries + 1 < TRIES => tries += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }
}
