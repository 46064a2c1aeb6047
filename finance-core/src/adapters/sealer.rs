//! Webhook secrets at rest: XChaCha20-Poly1305 under a key derived from the token key
//! file, so a copy of the database alone reveals no secret, and every server holding the
//! same key file (as they must, to accept each other's tokens) can sign.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::ports::SecretSealer;

/// Seals with one key; the nonce (24 random bytes) is stored in front of the ciphertext.
pub struct AeadSealer {
    cipher: XChaCha20Poly1305,
}

const NONCE: usize = 24;

impl AeadSealer {
    /// The key is SHA-256 of a label and `secret` (the token signing key's bytes).
    pub fn derived_from(secret: &[u8]) -> Self {
        let key = Sha256::new()
            .chain_update(b"finance webhook secrets\0")
            .chain_update(secret)
            .finalize();
        Self {
            cipher: XChaCha20Poly1305::new(&key),
        }
    }

    /// A key of its own, random: for an app assembled without a key file, whose secrets
    /// need not outlive the process.
    pub fn random() -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(&XChaCha20Poly1305::generate_key(&mut OsRng)),
        }
    }
}

impl SecretSealer for AeadSealer {
    fn seal(&self, secret: &str) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Encryption fails only for plaintexts beyond 256 GiB.
        let sealed = self
            .cipher
            .encrypt(&nonce, secret.as_bytes())
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        out
    }

    fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() <= NONCE {
            return None;
        }
        let (nonce, text) = sealed.split_at(NONCE);
        let nonce: [u8; NONCE] = nonce.try_into().ok()?;
        let plain = self.cipher.decrypt(&XNonce::from(nonce), text).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_what_it_sealed_and_nothing_else() {
        let a = AeadSealer::derived_from(b"key one");
        let sealed = a.seal("whsec_abc");
        assert_ne!(&sealed[NONCE..], b"whsec_abc".as_slice());
        assert_eq!(a.open(&sealed).as_deref(), Some("whsec_abc"));
        // Same key file, another server: opens it.
        assert_eq!(
            AeadSealer::derived_from(b"key one")
                .open(&sealed)
                .as_deref(),
            Some("whsec_abc")
        );
        assert_eq!(AeadSealer::derived_from(b"key two").open(&sealed), None);
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(a.open(&tampered), None);
        assert_eq!(a.open(b"short"), None);
        // A fresh nonce each time.
        assert_ne!(a.seal("x"), a.seal("x"));
    }
}
