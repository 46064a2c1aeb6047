use std::fmt;

use super::error::ValidationError;

/// A normalised email address: trimmed and lower-cased, so one person has one identity.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// The longest address, in bytes (RFC 5321's path limit less its brackets).
pub const MAX_LEN: usize = 254;

impl Email {
    /// Trims, lower-cases and checks the rough shape `local@domain.tld`.
    ///
    /// Deliverability is proven by the one-time code, not here; this only stops input that
    /// can never be an address.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let email = raw.trim().to_lowercase();
        let invalid = |m: &str| Err(ValidationError::new("email", m));
        if email.is_empty() {
            return invalid("must not be empty");
        }
        if email.len() > MAX_LEN {
            return invalid(&format!("must be at most {MAX_LEN} characters"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return invalid("must look like name@example.com");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.contains('@') || !domain_ok {
            return invalid("must look like name@example.com");
        }
        if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return invalid("must not contain spaces or control characters");
        }
        // The mailer's own rules (lettre's), so an address accepted here can always be
        // handed to SMTP: no request fails later on input it let through.
        if let Err(e) = email.parse::<lettre::Address>() {
            return Err(ValidationError::new(
                "email",
                format!("is not a valid address: {e}"),
            ));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

impl serde::Serialize for Email {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        let e = Email::parse("  Ada.Lovelace@Example.COM \n").expect("valid");
        assert_eq!(e.as_str(), "ada.lovelace@example.com");
    }

    #[test]
    fn rejects_non_addresses() {
        for bad in [
            "",
            "   ",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@@example.com",
            "ada@.example.com",
            "ada@example..com",
            "ada@example.com.",
        ] {
            let err = Email::parse(bad).expect_err(bad);
            assert_eq!(err.errors[0].field, "email");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn accepts_only_what_the_mailer_can_send_to() {
        // A local part over 64 characters, or a domain label over 63, cannot be mailed.
        for bad in [
            format!("{}@example.com", "a".repeat(65)),
            format!("a@{}.com", "b".repeat(64)),
            "a(b)@example.com".to_string(),
        ] {
            assert!(Email::parse(&bad).is_err(), "{bad}");
        }
        let longest = format!(
            "{}@{}.{}.{}.example.com",
            "a".repeat(64),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(49)
        );
        assert_eq!(longest.len(), 254);
        let ok = Email::parse(&longest).expect("254 characters, every part in bounds");
        assert!(ok.as_str().parse::<lettre::Address>().is_ok());
    }
}
