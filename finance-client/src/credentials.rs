//! The token `finance login` stores for the CLI and the TUI: one JSON file in the user's
//! config folder, readable by the user alone (0600).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A sign-in to one server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub server: String,
    pub email: String,
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// The credentials file in `dir` (`FINANCE_CONFIG_DIR`, else the platform's config folder
/// + `/finance`).
pub fn path(dir: &Path) -> PathBuf {
    dir.join("credentials.json")
}

/// The stored sign-in, if any.
pub fn load(dir: &Path) -> std::io::Result<Option<Credentials>> {
    match std::fs::read(path(dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(std::io::Error::other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Stores a sign-in, replacing any other; the file is created with 0600 rights, written
/// whole under a temporary name and renamed into place, so a reader never sees half of it.
pub fn save(dir: &Path, credentials: &Credentials) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // tempfile creates the file readable by its owner alone (0600 on Unix).
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&serde_json::to_vec_pretty(credentials).map_err(std::io::Error::other)?)?;
    file.as_file().sync_all()?;
    file.persist(path(dir)).map_err(|e| e.error)?;
    Ok(())
}

/// Forgets the stored sign-in; true if there was one.
pub fn remove(dir: &Path) -> std::io::Result<bool> {
    match std::fs::remove_file(path(dir)) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_privately_loads_and_removes() {
        let dir = tempfile::tempdir().expect("dir");
        let dir = dir.path().join("finance");
        assert_eq!(load(&dir).expect("load"), None);
        let c = Credentials {
            server: "http://127.0.0.1:8080".into(),
            email: "ada@example.com".into(),
            token: "v4.public.x".into(),
            expires_at: time::macros::datetime!(2026-12-01 00:00 UTC),
        };
        save(&dir, &c).expect("save");
        save(&dir, &c).expect("save again");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path(&dir))
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(load(&dir).expect("load"), Some(c));
        assert!(remove(&dir).expect("remove"));
        assert!(!remove(&dir).expect("remove again"));
    }
}
