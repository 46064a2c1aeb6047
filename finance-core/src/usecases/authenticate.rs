use super::{App, Error};
use crate::domain::UserId;

impl App {
    /// The user a bearer token was issued to, if the token is valid now.
    pub fn authenticate(&self, token: &str) -> Result<UserId, Error> {
        Ok(self.tokens.verify(token, self.clock.now())?)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::UserId;
    use crate::ports::TokenError;
    use crate::usecases::{Error, testing::Mocks};

    #[test]
    fn passes_the_verdict_through() {
        let user = UserId::random();
        let mut m = Mocks::new();
        m.tokens.expect_verify().returning(move |t, _| {
            if t == "good" {
                Ok(user)
            } else {
                Err(TokenError::Expired)
            }
        });
        let app = m.app();
        assert_eq!(app.authenticate("good"), Ok(user));
        assert_eq!(
            app.authenticate("old"),
            Err(Error::InvalidToken(TokenError::Expired))
        );
    }
}
