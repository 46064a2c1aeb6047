//! Bearer tokens: PASETO v4.public (Ed25519), with the key id in the footer.

mod key_file;

pub use key_file::KeyFileError;

use std::collections::HashMap;

use pasetors::claims::Claims;
use pasetors::footer::Footer;
use pasetors::keys::{AsymmetricPublicKey, AsymmetricSecretKey};
use pasetors::paserk::{FormatAsPaserk, Id};
use pasetors::token::UntrustedToken;
use pasetors::version4::{PublicToken, V4};
use pasetors::{Public, public};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::domain::UserId;
use crate::ports::{IssuedToken, TokenError, TokenIdentity, TokenService};

/// Who issues tokens, for whom, and for how long.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    pub issuer: String,
    pub audience: String,
    pub ttl: Duration,
}

impl Default for TokenSettings {
    fn default() -> Self {
        Self {
            issuer: "finance".into(),
            audience: "finance-api".into(),
            ttl: Duration::days(7),
        }
    }
}

/// Signs with one key and accepts tokens signed by any key of a set, so keys can be
/// rotated without signing everyone out.
pub struct PasetoTokens {
    signing: AsymmetricSecretKey<V4>,
    signing_id: Id,
    verifying: HashMap<String, AsymmetricPublicKey<V4>>,
    settings: TokenSettings,
    /// Tokens already verified, by the SHA-256 of their text, with who they are for and
    /// when they expire. An Ed25519 verification costs tens of microseconds; a hash and a
    /// lookup, well under one. A changed token has another hash, so it is verified in full.
    verified: VerifiedCache,
}

/// Verified tokens kept at most; past this the cache evicts the least used ones (which
/// are then verified in full again when they come back).
const CACHE_LIMIT: usize = 100_000;

type VerifiedCache = quick_cache::sync::Cache<[u8; 32], TokenIdentity>;

impl PasetoTokens {
    /// Signs with `signing`; also accepts tokens of the `also_accepted` public keys.
    pub fn new(
        signing: AsymmetricSecretKey<V4>,
        also_accepted: Vec<AsymmetricPublicKey<V4>>,
        settings: TokenSettings,
    ) -> Result<Self, KeyFileError> {
        let public = AsymmetricPublicKey::<V4>::try_from(&signing)
            .map_err(|e| KeyFileError::Generate(e.to_string()))?;
        let signing_id = Id::from(&public);
        let mut verifying: HashMap<String, AsymmetricPublicKey<V4>> =
            also_accepted.into_iter().map(|k| (key_id(&k), k)).collect();
        verifying.insert(key_id(&public), public);
        Ok(Self {
            signing,
            signing_id,
            verifying,
            settings,
            verified: VerifiedCache::new(CACHE_LIMIT),
        })
    }

    /// The raw secret of the signing key, for deriving other secrets (the OTP pepper).
    pub fn secret_bytes(&self) -> &[u8] {
        self.signing.as_bytes()
    }
}

fn key_id(key: &AsymmetricPublicKey<V4>) -> String {
    let mut out = String::new();
    // Formatting into a String cannot fail.
    let _ = Id::from(key).fmt(&mut out);
    out
}

fn rfc3339(t: OffsetDateTime) -> Result<String, TokenError> {
    t.format(&Rfc3339)
        .map_err(|e| TokenError::Signing(e.to_string()))
}

impl TokenService for PasetoTokens {
    fn issue(&self, user: UserId, now: OffsetDateTime) -> Result<IssuedToken, TokenError> {
        let sign_err = |e: pasetors::errors::Error| TokenError::Signing(e.to_string());
        // `iat` keeps the microseconds so that "signed out everywhere at T" can tell a token
        // issued just before T from one issued just after, within the same second; `nbf`
        // and `exp` are whole seconds.
        let second = now
            .replace_nanosecond(0)
            .map_err(|e| TokenError::Signing(e.to_string()))?;
        let expires_at = second + self.settings.ttl;
        let mut claims = Claims::new().map_err(sign_err)?;
        claims.subject(&user.to_string()).map_err(sign_err)?;
        claims.issuer(&self.settings.issuer).map_err(sign_err)?;
        claims.audience(&self.settings.audience).map_err(sign_err)?;
        claims
            .token_identifier(&uuid::Uuid::new_v4().simple().to_string())
            .map_err(sign_err)?;
        claims.issued_at(&rfc3339(now)?).map_err(sign_err)?;
        claims.not_before(&rfc3339(second)?).map_err(sign_err)?;
        claims.expiration(&rfc3339(expires_at)?).map_err(sign_err)?;
        let mut footer = Footer::new();
        footer.key_id(&self.signing_id);
        let token = public::sign(&self.signing, &claims, Some(&footer), None).map_err(sign_err)?;
        Ok(IssuedToken { token, expires_at })
    }

    fn verify(&self, token: &str, now: OffsetDateTime) -> Result<TokenIdentity, TokenError> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(known) = self.verified.get(&digest) {
            // The expiry is checked on every use, cached or not; an expired entry goes.
            if now < known.expires_at {
                return Ok(known);
            }
            self.verified.remove(&digest);
            return Err(TokenError::Expired);
        }
        let identity = self.verify_uncached(token, &digest, now)?;
        self.verified.insert(digest, identity.clone());
        Ok(identity)
    }
}

impl PasetoTokens {
    /// Checks the signature and every claim; returns who the token is for, its id, and
    /// when it was issued and expires. A token without `jti` (issued before tokens had
    /// one) is identified by the hash of its text.
    fn verify_uncached(
        &self,
        token: &str,
        digest: &[u8; 32],
        now: OffsetDateTime,
    ) -> Result<TokenIdentity, TokenError> {
        let untrusted =
            UntrustedToken::<Public, V4>::try_from(token).map_err(|_| TokenError::Malformed)?;
        let mut footer = Footer::new();
        footer
            .parse_bytes(untrusted.untrusted_footer())
            .map_err(|_| TokenError::Malformed)?;
        let kid = footer
            .get_claim("kid")
            .and_then(|v| v.as_str())
            .ok_or(TokenError::UnknownKey)?;
        let key = self.verifying.get(kid).ok_or(TokenError::UnknownKey)?;
        // The signature only: every claim, time above all, is checked below against the
        // injected clock. pasetors' claim rules compare `exp` with the system clock even
        // with their time checks turned off, which made tests depend on the day they ran.
        let footer_bytes = footer.to_string().map_err(|_| TokenError::Malformed)?;
        let trusted = PublicToken::verify(key, &untrusted, Some(footer_bytes.as_bytes()), None)
            .map_err(|_| TokenError::BadSignature)?;
        let claims = Claims::from_string(trusted.payload()).map_err(|_| TokenError::Malformed)?;
        let text = |name: &str| claims.get_claim(name).and_then(|v| v.as_str());
        if text("iss") != Some(self.settings.issuer.as_str()) {
            return Err(TokenError::WrongIssuer);
        }
        if text("aud") != Some(self.settings.audience.as_str()) {
            return Err(TokenError::WrongAudience);
        }
        let time_claim = |name: &str| {
            text(name)
                .and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
                .ok_or_else(|| TokenError::InvalidClaims(format!("missing or bad `{name}`")))
        };
        let expires_at = time_claim("exp")?;
        if now >= expires_at {
            return Err(TokenError::Expired);
        }
        if now < time_claim("nbf")? {
            return Err(TokenError::InvalidClaims("not valid yet".into()));
        }
        let sub = text("sub").ok_or_else(|| TokenError::InvalidClaims("missing `sub`".into()))?;
        let user =
            UserId::parse("sub", sub).map_err(|_| TokenError::InvalidClaims("bad `sub`".into()))?;
        let id = match text("jti") {
            Some(jti) => jti.to_string(),
            None => hex::encode(digest),
        };
        Ok(TokenIdentity {
            user,
            id,
            issued_at: time_claim("iat")?,
            expires_at,
        })
    }
}

#[cfg(test)]
impl PasetoTokens {
    /// The user of a verified token: what most tests below compare. Inherent, so it is
    /// the `verify` those tests call; the trait's is reached as `TokenService::verify`.
    fn verify(&self, token: &str, now: OffsetDateTime) -> Result<UserId, TokenError> {
        TokenService::verify(self, token, now).map(|t| t.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

    fn tokens(settings: TokenSettings) -> PasetoTokens {
        let secret = PasetoTokens::generate_secret().expect("key");
        let sk = AsymmetricSecretKey::<V4>::try_from(secret.as_str()).expect("paserk");
        PasetoTokens::new(sk, Vec::new(), settings).expect("tokens")
    }

    #[test]
    fn issued_tokens_verify_until_expiry() {
        let t = tokens(TokenSettings::default());
        let user = UserId::random();
        let issued = t.issue(user, NOW).expect("issue");
        assert!(issued.token.starts_with("v4.public."));
        assert_eq!(issued.expires_at, NOW + Duration::days(7));
        assert_eq!(t.verify(&issued.token, NOW + Duration::days(6)), Ok(user));
        assert_eq!(
            t.verify(&issued.token, NOW + Duration::days(7)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn cached_tokens_still_expire_and_changed_ones_are_checked_in_full() {
        let t = tokens(TokenSettings::default());
        let user = UserId::random();
        let issued = t.issue(user, NOW).expect("issue");
        assert_eq!(t.verify(&issued.token, NOW), Ok(user));
        assert_eq!(t.verified.len(), 1);
        assert_eq!(
            t.verify(&issued.token, NOW + Duration::days(1)),
            Ok(user),
            "from the cache"
        );
        assert_eq!(
            t.verify(&issued.token, NOW + Duration::days(7)),
            Err(TokenError::Expired)
        );
        assert_eq!(t.verified.len(), 0, "an expired entry leaves the cache");
        assert_eq!(t.verify(&issued.token, NOW), Ok(user));
        let mut tampered = issued.token.clone().into_bytes();
        let i = tampered.len() / 3;
        tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).expect("ascii");
        assert!(t.verify(&tampered, NOW).is_err());
        assert_eq!(t.verified.len(), 1, "failures are not cached");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let t = tokens(TokenSettings::default());
        let small = PasetoTokens {
            verified: VerifiedCache::new(3),
            ..t
        };
        for _ in 0..10 {
            let issued = small.issue(UserId::random(), NOW).expect("issue");
            small.verify(&issued.token, NOW).expect("valid");
        }
        assert!(small.verified.len() <= 3, "{}", small.verified.len());
    }

    #[test]
    fn tokens_carry_an_id_and_their_precise_issue_time() {
        let t = tokens(TokenSettings::default());
        let user = UserId::random();
        let at = NOW + Duration::microseconds(123_456);
        let a = t.issue(user, at).expect("issue");
        let b = t.issue(user, at).expect("issue");
        let a = TokenService::verify(&t, &a.token, at).expect("valid");
        let b = TokenService::verify(&t, &b.token, at).expect("valid");
        assert_eq!(a.issued_at, at);
        assert_eq!(a.expires_at, NOW + Duration::days(7));
        assert_ne!(a.id, b.id, "two tokens, two ids");
        assert_eq!(a.id.len(), 32);
    }

    #[test]
    fn tampered_and_garbage_tokens_are_rejected() {
        let t = tokens(TokenSettings::default());
        let issued = t.issue(UserId::random(), NOW).expect("issue");
        let (head, rest) = issued.token.split_at(20);
        let flipped = if rest.starts_with('A') {
            rest.replacen('A', "B", 1)
        } else {
            format!("A{}", &rest[1..])
        };
        assert_eq!(
            t.verify(&format!("{head}{flipped}"), NOW),
            Err(TokenError::BadSignature)
        );
        for garbage in [
            "",
            "garbage",
            "v4.public.",
            "v2.public.abc",
            "v4.local.abc.def",
        ] {
            assert_eq!(
                t.verify(garbage, NOW),
                Err(TokenError::Malformed),
                "{garbage}"
            );
        }
    }

    #[test]
    fn wrong_key_issuer_and_audience_are_told_apart() {
        let t = tokens(TokenSettings::default());
        let other = tokens(TokenSettings::default());
        let foreign = other.issue(UserId::random(), NOW).expect("issue");
        assert_eq!(t.verify(&foreign.token, NOW), Err(TokenError::UnknownKey));

        let same_key = |settings: TokenSettings| PasetoTokens {
            settings,
            signing: AsymmetricSecretKey::<V4>::from(t.signing.as_bytes()).expect("copy"),
            signing_id: t.signing_id.clone(),
            verifying: t.verifying.clone(),
            verified: VerifiedCache::new(CACHE_LIMIT),
        };
        let iss = same_key(TokenSettings {
            issuer: "evil".into(),
            ..Default::default()
        });
        let tok = iss.issue(UserId::random(), NOW).expect("issue");
        assert_eq!(t.verify(&tok.token, NOW), Err(TokenError::WrongIssuer));
        let aud = same_key(TokenSettings {
            audience: "other-app".into(),
            ..Default::default()
        });
        let tok = aud.issue(UserId::random(), NOW).expect("issue");
        assert_eq!(t.verify(&tok.token, NOW), Err(TokenError::WrongAudience));
    }
}
