//! What the bearer token costs a request: a full PASETO v4.public verification (an
//! Ed25519 signature check) against one answered from `PasetoTokens`' cache of verified
//! tokens. BENCHMARKS.md compares both with the server's CPU time per request.
//!
//! `cargo bench -p finance-core --bench tokens`

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use finance_core::adapters::paseto::{PasetoTokens, TokenSettings};
use finance_core::domain::UserId;
use finance_core::ports::TokenService;
use time::OffsetDateTime;

const TOKENS: u32 = 20_000;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let tokens =
        PasetoTokens::from_key_file(&dir.path().join("token.key"), TokenSettings::default())?;
    let now = OffsetDateTime::now_utc();

    let started = Instant::now();
    let issued = (0..TOKENS)
        .map(|_| tokens.issue(UserId::random(), now).map(|t| t.token))
        .collect::<Result<Vec<_>, _>>()?;
    let issue = started.elapsed() / TOKENS;

    // Each token is new to the cache on the first pass and known on the second.
    let pass = || -> Result<Duration, Box<dyn Error>> {
        let started = Instant::now();
        for token in &issued {
            black_box(tokens.verify(black_box(token), now)?);
        }
        Ok(started.elapsed() / TOKENS)
    };
    let full = pass()?;
    let cached = pass()?;

    println!("tokens: {TOKENS}, one thread");
    println!("issue (Ed25519 sign)             {:>8.2} µs", micros(issue));
    println!("verify, first time (Ed25519)     {:>8.2} µs", micros(full));
    println!(
        "verify, cached (SHA-256 + map)   {:>8.2} µs",
        micros(cached)
    );
    Ok(())
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
