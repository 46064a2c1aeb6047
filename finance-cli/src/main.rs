//! Placeholder until the cli is built (see the issue tracker); it builds and says so.
use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("finance-cli: not built yet; use the finance-core library or the API for now");
    ExitCode::FAILURE
}
