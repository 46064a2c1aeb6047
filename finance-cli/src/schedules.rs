//! The commands about recurring movements.

use finance_client::Finance;
use finance_core::domain::{Schedule, ScheduleId, ScheduleInput, SchedulePatch};

use crate::cli::{ScheduleCommand, SchedulesCommand};
use crate::lookup::{describe, find};
use crate::output::Out;

fn id_of(raw: &str) -> Result<ScheduleId, String> {
    ScheduleId::parse("id", raw)
        .map_err(|_| format!("{raw:?} is not a schedule id (see `finance schedule list`)"))
}

fn line(s: &Schedule) -> String {
    let every = if s.interval == 1 {
        format!("every {}", s.every.as_str())
    } else {
        format!("every {} {}s", s.interval, s.every.as_str())
    };
    let until = s.end.map(|e| format!(" until {e}")).unwrap_or_default();
    format!(
        "{}  {} {} ({}), {every} from {}{until}",
        s.id,
        s.amount,
        s.amount.currency(),
        s.description,
        s.start
    )
}

pub async fn schedule(f: &dyn Finance, command: ScheduleCommand, out: &Out) -> Result<(), String> {
    let fail = |e| describe(e, f);
    match command {
        ScheduleCommand::Add {
            account,
            amount,
            description,
            category,
            start,
            end,
            every,
            interval,
        } => {
            let a = find(f, &account).await?;
            let input = ScheduleInput {
                account: a.id.to_string(),
                amount,
                description,
                category,
                start: start.unwrap_or_else(|| time::OffsetDateTime::now_utc().date().to_string()),
                end,
                every,
                interval,
                splits: None,
                tags: Vec::new(),
            };
            let s = f.create_schedule(&input).await.map_err(fail)?;
            if out.json() {
                out.value(&s);
            } else {
                out.line(&format!("Scheduled {}", line(&s)));
            }
        }
        ScheduleCommand::List => {
            let list = f.schedules().await.map_err(fail)?;
            if out.json() {
                out.value(&list);
            } else if list.items.is_empty() {
                out.line("No schedules (add one with `finance schedule add`).");
            } else {
                for s in &list.items {
                    out.line(&line(s));
                }
            }
        }
        ScheduleCommand::Edit {
            id,
            amount,
            description,
            category,
            no_category,
            start,
            end,
            no_end,
            every,
            interval,
        } => {
            let patch = SchedulePatch {
                amount,
                description,
                category: if no_category {
                    Some(None)
                } else {
                    category.map(Some)
                },
                start,
                end: if no_end { Some(None) } else { end.map(Some) },
                every,
                interval,
                splits: None,
                tags: None,
            };
            let s = f.edit_schedule(id_of(&id)?, &patch).await.map_err(fail)?;
            if out.json() {
                out.value(&s);
            } else {
                out.line(&format!("Changed {}", line(&s)));
            }
        }
        ScheduleCommand::Delete { id } => {
            f.delete_schedule(id_of(&id)?).await.map_err(fail)?;
            if out.json() {
                out.value(&serde_json::json!({ "deleted": id }));
            } else {
                out.line(&format!(
                    "Deleted schedule {id}; the movements it booked stay"
                ));
            }
        }
        ScheduleCommand::Upcoming { id, count } => {
            let next = f.upcoming(id_of(&id)?, count).await.map_err(fail)?;
            if out.json() {
                out.value(&next);
            } else if next.dates.is_empty() {
                out.line("No more dates.");
            } else {
                for d in next.dates {
                    out.line(&d.to_string());
                }
            }
        }
    }
    Ok(())
}

pub async fn schedules(
    f: &dyn Finance,
    command: SchedulesCommand,
    out: &Out,
) -> Result<(), String> {
    match command {
        SchedulesCommand::Run => {
            let n = f.run_schedules().await.map_err(|e| describe(e, f))?;
            if out.json() {
                out.value(&serde_json::json!({ "booked": n }));
            } else {
                out.line(&format!("Booked {n} movement(s)"));
            }
        }
    }
    Ok(())
}
