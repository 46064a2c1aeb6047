use super::{App, Error};
use crate::ports::{TokenError, TokenIdentity};

impl App {
    /// The token's identity if it is valid now and was not signed out.
    ///
    /// Verification is cached in memory; the sign-out check is not, so a token signed out
    /// through any server is refused by every server at once.
    pub async fn authenticate(&self, token: &str) -> Result<TokenIdentity, Error> {
        let identity = self.tokens.verify(token, self.clock.now())?;
        if self.revocations.is_revoked(&identity).await? {
            return Err(Error::InvalidToken(TokenError::Revoked));
        }
        Ok(identity)
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use crate::domain::UserId;
    use crate::ports::{TokenError, TokenIdentity};
    use crate::usecases::{Error, testing::Mocks};

    fn identity(m: &Mocks, user: UserId) -> TokenIdentity {
        TokenIdentity {
            user,
            id: "jti-1".into(),
            issued_at: m.now - Duration::hours(1),
            expires_at: m.now + Duration::days(1),
        }
    }

    #[tokio::test]
    async fn passes_the_verdict_through() {
        let user = UserId::random();
        let mut m = Mocks::new();
        let good = identity(&m, user);
        let returned = good.clone();
        m.tokens.expect_verify().returning(move |t, _| {
            if t == "good" {
                Ok(returned.clone())
            } else {
                Err(TokenError::Expired)
            }
        });
        m.revocations.expect_is_revoked().returning(|_| Ok(false));
        let app = m.app();
        assert_eq!(app.authenticate("good").await.expect("valid"), good);
        assert!(matches!(
            app.authenticate("old").await,
            Err(Error::InvalidToken(TokenError::Expired))
        ));
    }

    #[tokio::test]
    async fn a_signed_out_token_is_refused() {
        let user = UserId::random();
        let mut m = Mocks::new();
        let t = identity(&m, user);
        m.tokens
            .expect_verify()
            .returning(move |_, _| Ok(t.clone()));
        m.revocations
            .expect_is_revoked()
            .withf(|t| t.id == "jti-1")
            .returning(|_| Ok(true));
        assert!(matches!(
            m.app().authenticate("good").await,
            Err(Error::InvalidToken(TokenError::Revoked))
        ));
    }
}
