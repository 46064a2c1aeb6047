//! What each command does: pick local or remote mode, call the [`Finance`] trait, print.

use std::io::{BufRead, Write};

use finance_client::Finance;
use finance_client::RemoteFinance;
use finance_client::connect;
use finance_client::credentials::{self, Credentials};
use finance_core::Error;
use finance_core::config::Config;
use finance_core::domain::MovementQueryInput;

use crate::cli::{Cli, Command};
use crate::lookup::find;
use crate::output::Out;

/// Runs one command; the error is the one line to show the user.
pub async fn run(cli: Cli) -> Result<(), String> {
    let out = Out::new(cli.json);
    let config = Config::from_env().map_err(|e| e.to_string())?;
    match cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "finance",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        Command::Login { email } => login(&config, cli.server.as_deref(), &email).await,
        Command::Logout => logout(&config, &out).await,
        Command::DeleteMe { yes } => {
            let finance = connect(&config, cli.server.as_deref(), cli.user.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            delete_me(&config, finance.as_ref(), yes, &out).await
        }
        command => {
            let finance = connect(&config, cli.server.as_deref(), cli.user.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            dispatch(finance.as_ref(), command, &out).await
        }
    }
}

async fn dispatch(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    match command {
        command @ (Command::Share { .. }
        | Command::Members { .. }
        | Command::Invitations { .. }
        | Command::Leave { .. }
        | Command::Account(crate::cli::AccountCommand::HandOver { .. })) => {
            crate::sharing::run(f, command, out).await?
        }
        command @ (Command::Overview { .. } | Command::Accounts { .. } | Command::Account(_)) => {
            crate::accounts::run(f, command, out).await?
        }
        command @ (Command::Movements { .. }
        | Command::AddMovement { .. }
        | Command::Transfer { .. }
        | Command::Movement(_)
        | Command::Import { .. }
        | Command::ImportJournal { .. }
        | Command::Export(_)) => crate::movements::run(f, command, out).await?,
        command @ (Command::Reconcile { .. }
        | Command::Reconciliations { .. }
        | Command::Balance { .. }
        | Command::History { .. }) => crate::books::run(f, command, out).await?,
        Command::Changes {
            since,
            limit,
            follow,
        } => crate::changes::run(f, since, limit, follow, out).await?,
        command @ (Command::Webhooks | Command::Webhook(_)) => {
            crate::webhooks::run(f, command, out).await?
        }
        command @ (Command::Tags | Command::Rules | Command::Rule(_)) => {
            crate::rules::run(f, command, out).await?
        }
        Command::Rates(command) => crate::rates::rates(f, command, out).await?,
        Command::Schedule(command) => crate::schedules::schedule(f, command, out).await?,
        Command::Schedules(command) => crate::schedules::schedules(f, command, out).await?,
        Command::Search {
            text,
            category,
            min,
            max,
            from,
            to,
            account,
            tag,
            limit,
            all,
        } => {
            let query = MovementQueryInput {
                limit: Some(limit),
                cursor: None,
                from,
                to,
                q: text,
                category,
                min,
                max,
                tag,
            };
            let account = match account {
                Some(a) => Some(find(f, &a).await?),
                None => None,
            };
            crate::reports::search(f, account.as_ref(), query, all, out).await?
        }
        Command::Categories => crate::reports::categories(f, out).await?,
        Command::Report(command) => crate::reports::report(f, command, out).await?,
        Command::Budget { command, month } => {
            crate::reports::budget(f, command, month, out).await?
        }
        Command::Config(command) => crate::rates::config(f, command, out).await?,
        Command::Login { .. }
        | Command::Logout
        | Command::DeleteMe { .. }
        | Command::Completions { .. } => {}
    }
    Ok(())
}

/// Signs the stored token out at its server, then forgets it. The token is forgotten even
/// when the server cannot be told, and the message then says it stays valid there.
async fn logout(config: &Config, out: &Out) -> Result<(), String> {
    let stored = credentials::load(&config.config_dir)
        .map_err(|e| format!("reading the stored token: {e}"))?;
    let signed_out = match &stored {
        Some(c) => RemoteFinance::sign_out(&c.server, &c.token).await,
        None => Ok(()),
    };
    credentials::remove(&config.config_dir).map_err(|e| format!("forgetting the token: {e}"))?;
    match (stored, signed_out) {
        (None, _) => out.line("Not logged in."),
        (Some(c), Ok(())) => out.line(&format!("Logged out of {}.", c.server)),
        (Some(c), Err(e)) => {
            return Err(format!(
                "forgot the token here, but {} could not be told ({e}); it stays valid there until {}",
                c.server,
                c.expires_at.date()
            ));
        }
    }
    Ok(())
}

/// Deletes the user once they typed their email again (or with `--yes`); on a server, the
/// stored token, refused from then on, is forgotten too.
async fn delete_me(config: &Config, f: &dyn Finance, yes: bool, out: &Out) -> Result<(), String> {
    let email = f.profile().await.map_err(|e| e.chain())?.user.email;
    if !yes {
        eprint!(
            "This deletes {email} and every account it owns, for good.\nType the email again to go on: "
        );
        let _ = std::io::stderr().flush();
        let mut typed = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut typed)
            .map_err(|e| format!("reading the email: {e}"))?;
        if !typed.trim().eq_ignore_ascii_case(email.as_str()) {
            return Err(format!("not deleted: that is not {email}"));
        }
    }
    f.delete_me().await.map_err(|e| e.chain())?;
    if let Ok(Some(stored)) = credentials::load(&config.config_dir)
        && stored.server == f.location()
    {
        credentials::remove(&config.config_dir)
            .map_err(|e| format!("forgetting the token: {e}"))?;
    }
    out.line(&format!("Deleted {email} and everything it owned."));
    Ok(())
}

async fn login(config: &Config, server: Option<&str>, email: &str) -> Result<(), String> {
    let server = server
        .map(|s| s.trim_end_matches('/').to_string())
        .ok_or("login needs a server: finance login EMAIL --server URL (or set FINANCE_SERVER)")?;
    let remote_err = |e: Error| match e {
        Error::Invalid(v) => format!(
            "invalid input: {}",
            v.errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Error::InvalidCode => {
            "the code is wrong, expired or already used; run `finance login` again".into()
        }
        Error::RateLimited(w) => format!(
            "too many codes asked for; try again in {} seconds",
            w.whole_seconds().max(1)
        ),
        Error::Unavailable(cause) => cause.chain(),
        other => other.chain(),
    };
    RemoteFinance::request_code(&server, email)
        .await
        .map_err(remote_err)?;
    eprint!("A sign-in code was sent to {email}. Code: ");
    let _ = std::io::stderr().flush();
    let mut code = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut code)
        .map_err(|e| format!("reading the code: {e}"))?;
    if code.trim().is_empty() {
        return Err("no code given".into());
    }
    let session = RemoteFinance::sign_in(&server, email, code.trim())
        .await
        .map_err(remote_err)?;
    let stored = Credentials {
        server: server.clone(),
        email: session.user.email.to_string(),
        token: session.token.token,
        expires_at: session.token.expires_at,
    };
    credentials::save(&config.config_dir, &stored)
        .map_err(|e| format!("storing the token: {e}"))?;
    println!(
        "Logged in to {server} as {} until {}.",
        stored.email,
        stored.expires_at.date()
    );
    Ok(())
}
