use super::{App, Error};
use crate::domain::{Email, User, UserId};

impl App {
    /// The user with this email, created if new, without a sign-in code.
    ///
    /// Only for frontends that own the database directly (the CLI and TUI in local mode,
    /// an embedding program): whoever can open the database file can read it anyway.
    pub async fn local_user(&self, email: &str) -> Result<User, Error> {
        let email = Email::parse(email)?;
        Ok(self
            .users
            .get_or_create_user(UserId::random(), &email, self.clock.now())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::User;
    use crate::usecases::{Error, testing::Mocks};

    #[tokio::test]
    async fn normalises_the_email_and_creates_on_first_use() {
        let mut m = Mocks::new();
        m.users
            .expect_get_or_create_user()
            .withf(|_, e, _| e.as_str() == "ada@example.com")
            .returning(|id, email, now| {
                Ok(User {
                    id,
                    email: email.clone(),
                    created_at: now,
                    base_currency: None,
                })
            });
        let app = m.app();
        let u = app.local_user(" ADA@example.com").await.expect("user");
        assert_eq!(u.email.as_str(), "ada@example.com");
        assert!(matches!(
            app.local_user("nope").await,
            Err(Error::Invalid(_))
        ));
    }
}
