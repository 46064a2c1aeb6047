//! The commands about movements: listing, adding, transfers, corrections, bank files.
use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::Money;
use finance_core::domain::{
    ExportQueryInput, Format, MovementInput, MovementPatch, MovementQueryInput, TransferInput,
};

use crate::cli::{Command, ExportArgs, MovementCommand};
use crate::csv_rows;
use crate::lookup::{all_movements, describe, find, find_movement};
use crate::output::Out;

/// Runs one command of this group (the others are dispatched elsewhere).
pub async fn run(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
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
            split,
            tag,
        } => {
            let a = find(f, &account).await?;
            let input = MovementInput {
                amount,
                description,
                category,
                occurred_on: date,
                splits: (!split.is_empty()).then_some(split),
                tags: tag,
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
            split,
            no_split,
            tag,
            no_tags,
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
                splits: match (no_split, split.is_empty()) {
                    (true, _) => Some(None),
                    (false, false) => Some(Some(split)),
                    (false, true) => None,
                },
                tags: match (no_tags, tag.is_empty()) {
                    (true, _) => Some(Vec::new()),
                    (false, false) => Some(tag),
                    (false, true) => None,
                },
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
            let text = crate::lookup::read_file(&file)?;
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
        Command::ImportJournal { file } => {
            let text = crate::lookup::read_file(&file)?;
            let done = f
                .import_journal(&text)
                .await
                .map_err(|e| format!("{}; nothing was imported", describe(e, f)))?;
            if out.json() {
                out.value(&done);
            } else {
                out.line(&format!(
                    "Imported {} account(s), {} movement(s), {} transfer(s) and {} reconciliation(s)",
                    done.accounts, done.movements, done.transfers, done.reconciliations
                ));
            }
        }
        Command::Export(ExportArgs {
            account,
            format,
            from,
            to,
        }) => {
            let Some(account) = account else {
                let query = ExportQueryInput { format, from, to };
                let mut stdout = std::io::BufWriter::new(std::io::stdout());
                f.export_journal(&query, &mut stdout)
                    .await
                    .map_err(|e| describe(e, f))?;
                return std::io::Write::flush(&mut stdout).map_err(|e| e.to_string());
            };
            let a = find(f, &account).await?;
            let query = MovementQueryInput {
                limit: Some("200".into()),
                ..Default::default()
            };
            let mut items = all_movements(f, &a, query).await?;
            items.reverse();
            csv_rows::write(&items)?;
        }
        _ => {}
    }
    Ok(())
}
