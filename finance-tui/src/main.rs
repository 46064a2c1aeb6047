//! Placeholder until the tui is built (see the issue tracker); it builds and says so.
use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("finance-tui: not built yet; use the finance-core library or the API for now");
    ExitCode::FAILURE
}
