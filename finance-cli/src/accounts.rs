//! The commands about accounts: the overview, the list, and one account's changes.
use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::{AccountInput, AccountPatch, ProfileQueryInput, usual_currency};

use crate::cli::{AccountCommand, Command};
use crate::lookup::{describe, find};
use crate::output::Out;

/// Runs one command of this group (the others are dispatched elsewhere).
pub async fn run(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        Command::Overview { currency, as_of } => {
            let asked = currency.is_some();
            let mut query = ProfileQueryInput { currency, as_of };
            let mut profile = f.profile_in(&query).await.map_err(fail)?;
            // No currency asked and no base currency set: the net worth is still shown, in
            // the currency most accounts are in (README, "One currency").
            let usual = (!asked && profile.user.base_currency.is_none())
                .then(|| usual_currency(&profile.accounts))
                .flatten();
            if let Some(c) = usual {
                query.currency = Some(c.to_string());
                profile = f.profile_in(&query).await.map_err(fail)?;
            }
            if out.json() {
                out.value(&profile)
            } else {
                out.overview(&profile);
                if usual.is_some() && profile.net_worth.is_some() {
                    out.line(
                        "(in the currency most of your accounts use; \
                         `finance config base-currency CODE` sets another)",
                    );
                }
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
        _ => {}
    }
    Ok(())
}
