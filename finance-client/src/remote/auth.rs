//! Signing in and out at a server: before there is a token, or to end one.

use reqwest::StatusCode;

use finance_core::domain::{CodeRequest, SignedIn, TokenRequest};
use finance_core::error::Error;
use finance_core::ports::Cause;
use finance_core::usecases::Session;

use super::RemoteFinance;
use super::http::{call, client, root_cause};

impl RemoteFinance {
    /// Asks the server at `base` to mail a sign-in code.
    pub async fn request_code(base: &str, email: &str) -> Result<(), Error> {
        let base = base.trim_end_matches('/');
        let req = client()?
            .post(format!("{base}/v1/auth/otp"))
            .json(&CodeRequest {
                email: email.to_string(),
            });
        call::<serde_json::Value>(base, req).await.map(|_| ())
    }

    /// Signs the token out at the server at `base`: it is refused from then on. A token the
    /// server already refuses (expired, signed out) counts as done.
    pub async fn sign_out(base: &str, token: &str) -> Result<(), Error> {
        let base = base.trim_end_matches('/');
        let res = client()?
            .post(format!("{base}/v1/auth/logout"))
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| {
                Error::Unavailable(Cause::from(format!(
                    "cannot reach the server at {base}: {}",
                    root_cause(&e)
                )))
            })?;
        match res.status() {
            s if s.is_success() || s == StatusCode::UNAUTHORIZED => Ok(()),
            s => Err(Error::Unavailable(Cause::from(format!(
                "{base} answered {s} to the sign-out"
            )))),
        }
    }

    /// Redeems a code at the server at `base`.
    pub async fn sign_in(base: &str, email: &str, code: &str) -> Result<Session, Error> {
        let base = base.trim_end_matches('/');
        let req = client()?
            .post(format!("{base}/v1/auth/token"))
            .json(&TokenRequest {
                email: email.to_string(),
                code: code.to_string(),
            });
        let (signed_in, _): (SignedIn, _) = call(base, req).await.map_err(|e| match e {
            Error::InvalidToken(_) => Error::InvalidCode,
            other => other,
        })?;
        Ok(Session::from(signed_in))
    }
}
