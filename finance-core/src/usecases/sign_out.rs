use super::{App, Error};
use crate::ports::TokenIdentity;

impl App {
    /// Signs out the one token presented: every later request with it is refused.
    pub async fn sign_out(&self, token: &TokenIdentity) -> Result<(), Error> {
        Ok(self.revocations.revoke_token(token).await?)
    }

    /// Signs the user out everywhere: every token issued before now is refused, and a
    /// sign-in afterwards gets a token that works.
    pub async fn sign_out_everywhere(&self, token: &TokenIdentity) -> Result<(), Error> {
        Ok(self
            .revocations
            .revoke_all(token.user, self.clock.now())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use crate::domain::UserId;
    use crate::ports::TokenIdentity;
    use crate::usecases::testing::Mocks;

    #[tokio::test]
    async fn one_token_or_all_of_the_users_before_now() {
        let user = UserId::random();
        let mut m = Mocks::new();
        let now = m.now;
        let token = TokenIdentity {
            user,
            id: "jti-9".into(),
            issued_at: now - Duration::minutes(5),
            expires_at: now + Duration::days(7),
        };
        m.revocations
            .expect_revoke_token()
            .withf(|t| t.id == "jti-9")
            .times(1)
            .returning(|_| Ok(()));
        m.revocations
            .expect_revoke_all()
            .withf(move |u, before| *u == user && *before == now)
            .times(1)
            .returning(|_, _| Ok(()));
        let app = m.app();
        app.sign_out(&token).await.expect("signed out");
        app.sign_out_everywhere(&token).await.expect("everywhere");
    }
}
