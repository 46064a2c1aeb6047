//! The key file: PASERK lines, the first secret signs and the rest are still accepted;
//! created with one fresh key, atomically, when missing.

use std::io::Write;
use std::path::Path;

use pasetors::keys::{AsymmetricKeyPair, AsymmetricPublicKey, AsymmetricSecretKey, Generate};
use pasetors::paserk::FormatAsPaserk;
use pasetors::version4::V4;

use super::{PasetoTokens, TokenSettings};

/// Why the key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("reading or writing the key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the key file {path} holds no valid key on line {line}")]
    Invalid { path: String, line: usize },
    #[error("generating a key: {0}")]
    Generate(String),
}

impl PasetoTokens {
    /// Loads keys from `path`, creating it with one fresh key (mode 0600) if missing.
    ///
    /// The file holds PASERK lines: the first `k4.secret.` line signs; every further
    /// `k4.secret.` or `k4.public.` line is still accepted. To rotate, put a new secret
    /// line first and keep the old one below until its tokens have expired.
    pub fn from_key_file(path: &Path, settings: TokenSettings) -> Result<Self, KeyFileError> {
        let shown = path.display().to_string();
        let io = |source| KeyFileError::Io {
            path: shown.clone(),
            source,
        };
        if !path.exists() {
            write_new_key_file(path).map_err(io)?;
            tracing::info!(path = %shown, "token signing key ready (generated if none was there)");
        }
        let text = std::fs::read_to_string(path).map_err(io)?;
        let mut signing = None;
        let mut accepted = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let line = line.trim();
            let invalid = || KeyFileError::Invalid {
                path: shown.clone(),
                line: i + 1,
            };
            if line.starts_with("k4.secret.") {
                let sk = AsymmetricSecretKey::<V4>::try_from(line).map_err(|_| invalid())?;
                if signing.is_none() {
                    signing = Some(sk);
                } else {
                    accepted.push(AsymmetricPublicKey::<V4>::try_from(&sk).map_err(|_| invalid())?);
                }
            } else if line.starts_with("k4.public.") {
                accepted.push(AsymmetricPublicKey::<V4>::try_from(line).map_err(|_| invalid())?);
            } else if !line.starts_with('#') {
                return Err(invalid());
            }
        }
        let signing = signing.ok_or(KeyFileError::Invalid {
            path: shown.clone(),
            line: 1,
        })?;
        Self::new(signing, accepted, settings)
    }

    /// A fresh random key, as a PASERK `k4.secret.` line.
    pub fn generate_secret() -> Result<String, KeyFileError> {
        let pair = AsymmetricKeyPair::<V4>::generate()
            .map_err(|e| KeyFileError::Generate(e.to_string()))?;
        let mut out = String::new();
        pair.secret
            .fmt(&mut out)
            .map_err(|e| KeyFileError::Generate(e.to_string()))?;
        Ok(out)
    }
}

/// Creates the key file atomically: the key is written and synced under a temporary name,
/// then linked into place, which fails if the file appeared meanwhile. A server and a CLI
/// starting at once on an empty data folder thus never read a half-written file, and both
/// end up with the one key that won (the loser's is discarded unused).
fn write_new_key_file(path: &Path) -> std::io::Result<()> {
    let secret = PasetoTokens::generate_secret().map_err(std::io::Error::other)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map_or("token.key".into(), |n| n.to_string_lossy()),
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file| {
        writeln!(file, "{secret}")?;
        file.sync_all()
    });
    let linked = written.and_then(|()| match std::fs::hard_link(&tmp, path) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    });
    let _ = std::fs::remove_file(&tmp);
    linked
}

#[cfg(test)]
mod tests {
    use time::OffsetDateTime;
    use time::macros::datetime;

    use super::*;
    use crate::domain::UserId;
    use crate::ports::{TokenError, TokenService};

    const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

    #[test]
    fn processes_starting_at_once_share_one_complete_key() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("data/token.key");
        let starts: Vec<_> = (0..8)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    PasetoTokens::from_key_file(&path, TokenSettings::default())
                })
            })
            .collect();
        let all: Vec<PasetoTokens> = starts
            .into_iter()
            .map(|t| t.join().expect("thread").expect("every start succeeds"))
            .collect();
        let user = UserId::random();
        let token = all[0].issue(user, NOW).expect("issue");
        for t in &all {
            assert_eq!(t.verify(&token.token, NOW), Ok(user), "one key for all");
        }
        let files: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(files, ["token.key"], "no temporary file left behind");
    }

    #[test]
    fn key_file_is_created_private_and_rotates() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys/token.key");
        let old = PasetoTokens::from_key_file(&path, TokenSettings::default()).expect("created");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let user = UserId::random();
        let old_token = old.issue(user, NOW).expect("issue");

        // Rotate: a new signing key first, the old one kept below.
        let previous = std::fs::read_to_string(&path).expect("read");
        let new_secret = PasetoTokens::generate_secret().expect("key");
        std::fs::write(&path, format!("{new_secret}\n{previous}")).expect("write");
        let new = PasetoTokens::from_key_file(&path, TokenSettings::default()).expect("rotated");
        assert_eq!(
            new.verify(&old_token.token, NOW),
            Ok(user),
            "old tokens still accepted"
        );
        let new_token = new.issue(user, NOW).expect("issue");
        assert_eq!(
            old.verify(&new_token.token, NOW),
            Err(TokenError::UnknownKey)
        );

        std::fs::write(&path, "not a key\n").expect("write");
        assert!(matches!(
            PasetoTokens::from_key_file(&path, TokenSettings::default()),
            Err(KeyFileError::Invalid { line: 1, .. })
        ));
    }
}
