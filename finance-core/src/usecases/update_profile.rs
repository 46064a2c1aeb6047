use super::{App, Error};
use crate::domain::{Profile, ProfilePatch, ProfileQueryInput, UserId};

impl App {
    /// Sets or clears the user's base currency, then answers the profile as `GET /me`
    /// would (with the net worth in the new base currency).
    pub async fn update_profile(
        &self,
        user: UserId,
        patch: &ProfilePatch,
    ) -> Result<Profile, Error> {
        if let Some(currency) = patch.base_currency()? {
            self.users.set_base_currency(user, currency).await?;
        }
        self.get_profile(user, &ProfileQueryInput::default()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usecases::testing::Mocks;

    #[tokio::test]
    async fn a_bad_currency_writes_nothing() {
        let mut m = Mocks::new();
        m.users.expect_set_base_currency().never();
        let patch = ProfilePatch {
            base_currency: Some(Some("euro".into())),
        };
        match m.app().update_profile(UserId::random(), &patch).await {
            Err(Error::Invalid(e)) => assert_eq!(e.errors[0].field, "base_currency"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
