use subtle::ConstantTimeEq;

use super::{App, Error};
use crate::domain::{Email, SignedIn, User, UserId};
use crate::ports::IssuedToken;

/// A signed-in user and the bearer token that proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token: IssuedToken,
    pub user: User,
}

/// A session as the API answers it, with its token type.
impl From<Session> for SignedIn {
    fn from(s: Session) -> Self {
        Self {
            token: s.token.token,
            token_type: "Bearer".into(),
            expires_at: s.token.expires_at,
            user: s.user,
        }
    }
}

/// A session as a client reads it from the API's answer.
impl From<SignedIn> for Session {
    fn from(s: SignedIn) -> Self {
        Self {
            token: IssuedToken {
                token: s.token,
                expires_at: s.expires_at,
            },
            user: s.user,
        }
    }
}

impl App {
    /// Redeems a code sent by [`App::request_code`] and signs the user in; the first
    /// success for an email creates its user (signup).
    ///
    /// Wrong, expired, used and dead codes all give [`Error::InvalidCode`], so a caller
    /// learns nothing about which. Each wrong try counts; the code dies after the last.
    /// Checks per email are limited across codes (a sliding window): past the limit even
    /// the right code is refused until the window has room, so asking for new codes does
    /// not buy more guesses.
    pub async fn verify_code(&self, email: &str, code: &str) -> Result<Session, Error> {
        let email = Email::parse(email)?;
        let s = &self.auth;
        self.within_limit(&format!("guess:{email}"), s.max_guesses, s.guess_window)
            .await?;
        let now = self.clock.now();
        let Some(stored) = self.otps.find_otp(&email).await? else {
            return Err(Error::InvalidCode);
        };
        if stored.expires_at <= now || stored.attempts_left == 0 {
            return Err(Error::InvalidCode);
        }
        let hash = self.code_hash(&email, code.trim())?;
        if !bool::from(hash.as_bytes().ct_eq(stored.hash.as_bytes())) {
            self.otps.record_failed_try(&email).await?;
            return Err(Error::InvalidCode);
        }
        // Only one of several racing requests with the right code gets to take it.
        if !self.otps.take_otp(&email, &stored.hash).await? {
            return Err(Error::InvalidCode);
        }
        let user = self
            .users
            .get_or_create_user(UserId::random(), &email, now)
            .await?;
        let token = self.tokens.issue(user.id, now)?;
        Ok(Session { token, user })
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use crate::domain::{Email, User};
    use crate::ports::{IssuedToken, StoredOtp};
    use crate::usecases::{Error, testing::Mocks};

    fn pending(m: &mut Mocks, hash: String, expires_in: Duration, attempts_left: u32) {
        let otp = StoredOtp {
            hash,
            expires_at: m.now + expires_in,
            attempts_left,
        };
        m.otps.expect_find_otp().return_const(Ok(Some(otp)));
    }

    fn hash_for(code: &str) -> String {
        let app = Mocks::new().app();
        let email = Email::parse("ada@example.com").expect("email");
        app.code_hash(&email, code).expect("hash")
    }

    #[tokio::test]
    async fn right_code_signs_in_and_creates_the_user() {
        let mut m = Mocks::new();
        m.allow_limits();
        pending(&mut m, hash_for("123456"), Duration::minutes(5), 5);
        m.otps.expect_take_otp().times(1).return_const(Ok(true));
        let now = m.now;
        m.users
            .expect_get_or_create_user()
            .times(1)
            .returning(|id, email, now| {
                Ok(User {
                    id,
                    email: email.clone(),
                    created_at: now,
                    base_currency: None,
                })
            });
        m.tokens.expect_issue().times(1).returning(move |_, _| {
            Ok(IssuedToken {
                token: "v4.public.x".into(),
                expires_at: now,
            })
        });
        let s = m
            .app()
            .verify_code("ADA@example.com", " 123456 ")
            .await
            .expect("signed in");
        assert_eq!(s.user.email.as_str(), "ada@example.com");
        assert_eq!(s.token.token, "v4.public.x");
    }

    #[tokio::test]
    async fn wrong_code_counts_a_try() {
        let mut m = Mocks::new();
        m.allow_limits();
        pending(&mut m, hash_for("123456"), Duration::minutes(5), 5);
        m.otps
            .expect_record_failed_try()
            .times(1)
            .return_const(Ok(4u32));
        assert!(matches!(
            m.app().verify_code("ada@example.com", "654321").await,
            Err(Error::InvalidCode)
        ));
    }

    #[tokio::test]
    async fn expired_dead_missing_and_raced_codes_are_all_invalid() {
        let mut m = Mocks::new();
        m.allow_limits();
        pending(&mut m, hash_for("123456"), Duration::ZERO, 5);
        assert!(matches!(
            m.app().verify_code("ada@example.com", "123456").await,
            Err(Error::InvalidCode)
        ));

        let mut m = Mocks::new();
        m.allow_limits();
        pending(&mut m, hash_for("123456"), Duration::minutes(1), 0);
        assert!(matches!(
            m.app().verify_code("ada@example.com", "123456").await,
            Err(Error::InvalidCode)
        ));

        let mut m = Mocks::new();
        m.allow_limits();
        m.otps.expect_find_otp().return_const(Ok(None));
        assert!(matches!(
            m.app().verify_code("ada@example.com", "123456").await,
            Err(Error::InvalidCode)
        ));

        let mut m = Mocks::new();
        m.allow_limits();
        pending(&mut m, hash_for("123456"), Duration::minutes(1), 5);
        m.otps.expect_take_otp().return_const(Ok(false));
        assert!(matches!(
            m.app().verify_code("ada@example.com", "123456").await,
            Err(Error::InvalidCode)
        ));
    }

    #[tokio::test]
    async fn past_the_guess_budget_even_the_right_code_is_refused() {
        let mut m = Mocks::new();
        m.limits
            .expect_hit()
            .withf(|key, _, _| key == "guess:ada@example.com")
            .returning(|_, _, _| {
                Ok(crate::ports::BucketCounts {
                    current: 11,
                    previous: 0,
                })
            });
        // No expectation on the code store: the budget is checked before the code.
        let err = m.app().verify_code("ada@example.com", "123456").await;
        assert!(matches!(err, Err(Error::RateLimited(_))), "{err:?}");
    }
}
