//! The commands about tags and rules.

use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::{Actions, Conditions, Rule, RuleId, RuleInput, RulePatch};

use crate::cli::{Command, RuleAdd, RuleCommand};
use crate::lookup::{describe, find};
use crate::output::Out;

/// Runs `tags`, `rules` and `rule …`.
pub async fn run(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        Command::Tags => {
            let list = f.tags().await.map_err(fail)?;
            if out.json() {
                out.value(&list)
            } else {
                out.tags(&list)
            }
        }
        Command::Rules => {
            let list = f.rules().await.map_err(fail)?;
            if out.json() {
                out.value(&list)
            } else {
                out.rules(&list)
            }
        }
        Command::Rule(command) => rule(f, command, out).await?,
        _ => {}
    }
    Ok(())
}

async fn rule(f: &dyn Finance, command: RuleCommand, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        RuleCommand::Add(add) => {
            let RuleAdd {
                name,
                when_contains,
                when_matches,
                when_min,
                when_max,
                when_account,
                when_currency,
                set_category,
                set_description,
                add_tag,
                position,
            } = *add;
            let account = match when_account {
                Some(a) => Some(find(f, &a).await?.id.to_string()),
                None => None,
            };
            let input = RuleInput {
                name,
                position,
                when: Conditions {
                    description_contains: when_contains,
                    description_matches: when_matches,
                    amount_min: when_min,
                    amount_max: when_max,
                    account,
                    currency: when_currency,
                },
                then: Actions {
                    category: set_category,
                    add_tags: add_tag,
                    description: set_description,
                },
            };
            let r = f.add_rule(&input).await.map_err(fail)?;
            if out.json() {
                out.value(&r)
            } else {
                out.line(&format!(
                    "Rule {} \"{}\" is number {}; see what it would change with `finance rule preview {}`.",
                    r.id, r.name, r.position, r.id
                ))
            }
        }
        RuleCommand::Move { id, position } => {
            let r = find_rule(f, &id).await?;
            let patch = RulePatch {
                position: Some(position),
                ..RulePatch::default()
            };
            let moved = f.edit_rule(r.id, &patch).await.map_err(fail)?;
            if out.json() {
                out.value(&moved)
            } else {
                out.line(&format!(
                    "Rule \"{}\" is number {}.",
                    moved.name, moved.position
                ))
            }
        }
        RuleCommand::Preview { id, overwrite } => {
            let r = find_rule(f, &id).await?;
            let preview = f.preview_rule(r.id, overwrite).await.map_err(fail)?;
            if out.json() {
                out.value(&preview)
            } else {
                out.rule_preview(&preview)
            }
        }
        RuleCommand::Apply { id, overwrite } => {
            let r = find_rule(f, &id).await?;
            let applied = f.apply_rule(r.id, overwrite).await.map_err(fail)?;
            if out.json() {
                out.value(&applied)
            } else {
                out.line(&format!(
                    "Rule \"{}\" changed {} movement{}.",
                    r.name,
                    applied.changed,
                    if applied.changed == 1 { "" } else { "s" }
                ))
            }
        }
        RuleCommand::Delete { id } => {
            let r = find_rule(f, &id).await?;
            f.delete_rule(r.id).await.map_err(fail)?;
            if !out.json() {
                out.line(&format!("Deleted rule \"{}\".", r.name))
            }
        }
    }
    Ok(())
}

/// One of the user's rules, by id or exact name.
async fn find_rule(f: &dyn Finance, id_or_name: &str) -> Result<Rule, String> {
    let rules = f.rules().await.map_err(|e| describe(e, f))?.items;
    let id = RuleId::parse("id", id_or_name).ok();
    rules
        .into_iter()
        .find(|r| Some(r.id) == id || r.name == id_or_name)
        .ok_or_else(|| format!("no rule {id_or_name:?} (see `finance rules`)"))
}
