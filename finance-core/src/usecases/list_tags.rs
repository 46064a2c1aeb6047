use super::{App, Error};
use crate::domain::{TagCount, TagList, UserId};

impl App {
    /// The tags on the movements the user can see, by name, each with how many carry it.
    pub async fn list_tags(&self, user: UserId) -> Result<TagList, Error> {
        let items = self
            .reports
            .tag_counts(user)
            .await?
            .into_iter()
            .map(|(name, count)| TagCount { name, count })
            .collect();
        Ok(TagList { items })
    }
}
