//! What each command does: pick local or remote mode, call the [`Finance`] trait, print.

use std::io::{BufRead, Write};

use finance_client::Finance;
use finance_client::RemoteFinance;
use finance_client::connect;
use finance_client::credentials::{self, Credentials};
use finance_core::Error;
use finance_core::config::Config;
use finance_core::domain::Money;
use finance_core::domain::{
    AccountInput, AccountPatch, Format, MovementInput, MovementPatch, MovementQueryInput,
    ProfileQueryInput, TransferInput,
};

use crate::cli::{AccountCommand, Cli, Command, MovementCommand};
use crate::csv_rows;
use crate::lookup::{all_movements, describe, find, find_movement};
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
        command => {
            let finance = connect(&config, cli.server.as_deref(), cli.user.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            dispatch(finance.as_ref(), command, &out).await
        }
    }
}

async fn dispatch(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        Command::Overview { currency, as_of } => {
            let query = ProfileQueryInput { currency, as_of };
            let profile = f.profile_in(&query).await.map_err(fail)?;
            if out.json() {
                out.value(&profile)
            } else {
                out.overview(&profile)
            }
        }
        Command::Accounts { all } => {
            let mut accounts = f.profile().await.map_err(fail)?.accounts;
            accounts.retain(|a| all || !a.archived);
            if out.json() {
                out.value(&accounts)
            } else {
                out.accounts(&accounts)
            }
        }
        Command::Account(AccountCommand::Create { name, currency }) => {
            let a = f
                .create_account(&AccountInput { name, currency })
                .await
                .map_err(fail)?;
            if out.json() {
                out.value(&a)
            } else {
                out.line(&format!("Created {} ({}), id {}", a.name, a.currency, a.id))
            }
        }
        Command::Account(AccountCommand::Rename { account, new_name }) => {
            let a = find(f, &account).await?;
            let patch = AccountPatch {
                name: Some(new_name),
                archived: None,
            };
            let changed = f.update_account(&a, &patch).await.map_err(fail)?;
            if out.json() {
                out.value(&changed)
            } else {
                out.line(&format!("Renamed {} to {}", a.name, changed.name))
            }
        }
        Command::Account(AccountCommand::Archive { account, unarchive }) => {
            let a = find(f, &account).await?;
            let patch = AccountPatch {
                name: None,
                archived: Some(!unarchive),
            };
            let changed = f.update_account(&a, &patch).await.map_err(fail)?;
            if out.json() {
                out.value(&changed)
            } else if changed.archived {
                out.line(&format!(
                    "Archived {}: it takes no new movements; `finance accounts --all` lists it",
                    changed.name
                ))
            } else {
                out.line(&format!("{} takes movements again", changed.name))
            }
        }
        Command::Account(AccountCommand::Delete { account }) => {
            let a = find(f, &account).await?;
            f.delete_account(&a).await.map_err(fail)?;
            if out.json() {
                out.value(&serde_json::json!({"deleted": a.id}))
            } else {
                out.line(&format!("Deleted {}", a.name))
            }
        }
        Command::Account(AccountCommand::Show { account }) => {
            let a = find(f, &account).await?;
            if out.json() {
                out.value(&a)
            } else {
                out.account(&a)
            }
        }
        Command::Movements {
            account,
            from,
            to,
            limit,
            all,
        } => {
            let a = find(f, &account).await?;
            let query = MovementQueryInput {
                limit: Some(limit),
                from,
                to,
                ..Default::default()
            };
            let (items, more) = if all {
                (all_movements(f, &a, query).await?, false)
            } else {
                let page = f.movements(&a, &query).await.map_err(fail)?;
                let more = page.next_cursor.is_some();
                (page.items, more)
            };
            if out.json() {
                out.value(&serde_json::json!({ "items": items }));
            } else {
                out.movements(&items);
                if more {
                    eprintln!("(more movements: use --all, or a larger --limit)");
                }
            }
        }
        Command::AddMovement {
            account,
            amount,
            description,
            date,
            category,
        } => {
            let a = find(f, &account).await?;
            let input = MovementInput {
                amount,
                description,
                category,
                occurred_on: date,
            };
            let m = f.add_movement(&a, &input).await.map_err(fail)?;
            if out.json() {
                out.value(&m);
            } else {
                let balance = f
                    .find_account(&a.id.to_string())
                    .await
                    .ok()
                    .map(|a| a.balance);
                out.movement(&m, balance);
            }
        }
        Command::Transfer {
            from,
            to,
            amount,
            to_amount,
            description,
            date,
        } => {
            let (source, target) = (find(f, &from).await?, find(f, &to).await?);
            let input = TransferInput {
                from_account: source.id.to_string(),
                to_account: target.id.to_string(),
                amount,
                to_amount,
                description,
                occurred_on: date,
            };
            let t = f.transfer(&input).await.map_err(fail)?;
            if out.json() {
                out.value(&t)
            } else {
                let rate = t
                    .rate
                    .as_deref()
                    .map(|r| format!(" at {r}"))
                    .unwrap_or_default();
                out.line(&format!(
                    "Moved {} from {} to {} ({} arrived{rate}); transfer {}",
                    out.money(Money::from_minor(
                        t.from.amount.minor().saturating_neg(),
                        t.from.amount.currency()
                    )),
                    source.name,
                    target.name,
                    out.money(t.to.amount),
                    t.id
                ))
            }
        }
        Command::Movement(MovementCommand::Show { id }) => {
            let (_, m) = find_movement(f, &id).await?;
            if out.json() {
                out.value(&m)
            } else {
                out.movement_detail(&m)
            }
        }
        Command::Movement(MovementCommand::Edit {
            id,
            amount,
            description,
            date,
            category,
            no_category,
        }) => {
            let (a, m) = find_movement(f, &id).await?;
            let patch = MovementPatch {
                amount,
                description,
                category: if no_category {
                    Some(None)
                } else {
                    category.map(Some)
                },
                occurred_on: date,
            };
            let changed = f.edit_movement(&m, &patch).await.map_err(fail)?;
            if out.json() {
                out.value(&changed)
            } else {
                let balance = f
                    .find_account(&a.id.to_string())
                    .await
                    .ok()
                    .map(|a| a.balance);
                out.movement_detail(&changed);
                if let Some(b) = balance {
                    out.line(&format!("  balance   {}", out.money(b)));
                }
            }
        }
        Command::Movement(MovementCommand::Delete { id }) => {
            let (a, m) = find_movement(f, &id).await?;
            f.delete_movement(&m).await.map_err(fail)?;
            if out.json() {
                out.value(&serde_json::json!({"deleted": m.id}))
            } else {
                out.line(&format!(
                    "Deleted {} ({}) from {}",
                    out.money(m.amount),
                    m.description,
                    a.name
                ))
            }
        }
        Command::Import {
            account,
            file,
            format,
        } => {
            let a = find(f, &account).await?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = file.display().to_string();
            let format = match format {
                Some(raw) => Format::parse(&raw)
                    .ok_or_else(|| format!("{raw:?} is not a format: csv, ofx, qif or camt"))?,
                None => Format::guess(&name, &text).unwrap_or(Format::Csv),
            };
            let done = f
                .import_file(&a, format, &text)
                .await
                .map_err(|e| format!("{}; nothing was imported", describe(e, f)))?;
            let a = find(f, &account).await?;
            if out.json() {
                out.value(&serde_json::json!({ "added": done.added, "duplicates": done.duplicates, "account": a }));
            } else {
                out.line(&format!(
                    "Imported {} movement(s) into {} ({} already there); balance {} {}",
                    done.added, a.name, done.duplicates, a.balance, a.currency
                ));
            }
        }
        Command::Export { account } => {
            let a = find(f, &account).await?;
            let query = MovementQueryInput {
                limit: Some("200".into()),
                ..Default::default()
            };
            let mut items = all_movements(f, &a, query).await?;
            items.reverse();
            csv_rows::write(&items)?;
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
        Command::Login { .. } | Command::Logout | Command::Completions { .. } => {}
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
