//! A user's world for the CLI tests: the real `finance` binary with a data folder (the
//! local database) and a config folder (the token) of its own.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A user's world: a data folder (the local database) and a config folder (the token).
pub struct World {
    pub data: tempfile::TempDir,
    pub config: tempfile::TempDir,
}

impl World {
    pub fn new() -> Self {
        Self {
            data: tempfile::tempdir().expect("dir"),
            config: tempfile::tempdir().expect("dir"),
        }
    }

    pub fn finance(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_finance"));
        cmd.current_dir(self.data.path())
            .env_remove("FINANCE_SERVER")
            .env_remove("FINANCE_USER")
            .env_remove("FINANCE_DATABASE_URL")
            .env_remove("FINANCE_REDIS_URL")
            .env_remove("FINANCE_SMTP_URL")
            .env("NO_COLOR", "1")
            .env("FINANCE_DATA_DIR", self.data.path())
            .env("FINANCE_CONFIG_DIR", self.config.path())
            .args(args);
        cmd
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.finance(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("json output")
    }

    /// Runs a command that must fail with `code`; returns its one line of standard error.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out: Output = self.finance(args).output().expect("runs");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8(out.stderr).expect("utf-8");
        if code == 1 {
            assert_eq!(
                err.trim_end().lines().count(),
                1,
                "{args:?} should say one line: {err}"
            );
            assert!(err.starts_with("finance: "), "{err}");
        }
        err
    }

    pub fn balance(&self, account: &str) -> String {
        self.json(&["account", "show", account])["balance"]
            .as_str()
            .expect("balance")
            .to_string()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.data.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
}

pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}
