//! Where a `finance-api` started with `FINANCE_BIND=127.0.0.1:0` listens, read from its
//! log: the port is the operating system's choice, so two servers started at once can
//! never be handed the same one (as when a test picks a free port and then binds it).

#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

/// The port in the "finance-api listening" line of `log`, pretty or JSON.
pub fn port_in(log: &str) -> Option<u16> {
    let line = log.lines().find(|l| l.contains("finance-api listening"))?;
    let plain = strip_ansi(line);
    let at = plain
        .find("address=")
        .map(|i| i + "address=".len())
        .or_else(|| {
            plain
                .find("\"address\":\"")
                .map(|i| i + "\"address\":\"".len())
        })?;
    let address: String = plain[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect();
    address.rsplit(':').next()?.parse().ok()
}

/// Waits (bounded) until the server logging to `log` past `offset` says where it listens.
pub fn wait_for_port(log: &Path, offset: usize) -> u16 {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(port) = text.get(offset..).and_then(port_in) {
            return port;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server never said where it listens:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters… final letter.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_port_is_read_from_either_log_format() {
    let pretty = "\u{1b}[2m2026\u{1b}[0m INFO finance-api listening \u{1b}[3maddress\u{1b}[0m\u{1b}[2m=\u{1b}[0m127.0.0.1:34771 \u{1b}[3mdatabase\u{1b}[0m=sqlite://x";
    assert_eq!(port_in(pretty), Some(34771));
    let json = r#"{"fields":{"message":"finance-api listening","address":"127.0.0.1:4242"}}"#;
    assert_eq!(port_in(json), Some(4242));
    assert_eq!(port_in("nothing here"), None);
}
