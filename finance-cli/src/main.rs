//! `finance`: the command line of the finance service. Every rule lives in finance-core;
//! this binary parses arguments, calls the [`Finance`] trait and prints.

mod accounts;
mod books;
mod changes;
mod cli;
mod commands;
mod csv_rows;
mod lookup;
mod movements;
mod output;
mod rates;
mod reports;
mod rules;
mod schedules;
mod sharing;
mod webhooks;

use std::process::ExitCode;

use clap::Parser;

use cli::Cli;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // clap exits with 2 on usage errors and 0 for --help / --version.
    let cli = Cli::parse();
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("finance: {message}");
            ExitCode::from(1)
        }
    }
}
