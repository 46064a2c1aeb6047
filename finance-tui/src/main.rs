//! `finance-tui`: the terminal dashboard. It runs on the local database by default, or on
//! a server with `--server URL` after `finance login`, through the same trait as the CLI.

mod components;
mod keys;
mod message;
mod state;
mod view;

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use clap::Parser;
use finance_client::Finance;
use finance_client::connect;
use finance_core::Error;
use finance_core::config::Config;
use finance_core::domain::{
    BudgetQueryInput, CashFlowQueryInput, ChangesCursor, ChangesQueryInput, HistoryQueryInput,
    MovementQueryInput, ProfileQueryInput, ValidationError,
};
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use message::{Answer, Effect};
use state::State;

/// Accounts, balances, totals and movements, with forms to add to them.
#[derive(Debug, Parser)]
#[command(name = "finance-tui", version)]
struct Args {
    /// Use the server at URL instead of the local database.
    #[arg(long, env = "FINANCE_SERVER", value_name = "URL")]
    server: Option<String>,
    /// The local user to act as (created on first use).
    #[arg(long, env = "FINANCE_USER", value_name = "EMAIL")]
    user: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("finance-tui: {e}");
            return ExitCode::FAILURE;
        }
    };
    let finance = runtime.block_on(async {
        let config = Config::from_env().map_err(|e| e.to_string())?;
        connect(&config, args.server.as_deref(), args.user.as_deref())
            .await
            .map_err(|e| e.to_string())
    });
    let finance: Arc<dyn Finance> = match finance {
        Ok(f) => Arc::from(f),
        Err(message) => {
            eprintln!("finance-tui: {message}");
            return ExitCode::FAILURE;
        }
    };
    // ratatui::init also installs a panic hook that restores the terminal first.
    let mut terminal = ratatui::init();
    let result = run(&mut terminal, finance, runtime.handle());
    ratatui::restore();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("finance-tui: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    terminal: &mut ratatui::DefaultTerminal,
    finance: Arc<dyn Finance>,
    rt: &tokio::runtime::Handle,
) -> std::io::Result<()> {
    let today = time::OffsetDateTime::now_utc().date();
    let mut state = State::new(finance.location(), today);
    let (tx, rx) = mpsc::channel::<Answer>();
    let spawn = |effects: Vec<Effect>| {
        for effect in effects {
            let (finance, tx) = (finance.clone(), tx.clone());
            rt.spawn(async move {
                let _ = tx.send(perform(finance.as_ref(), effect).await);
            });
        }
    };
    spawn(state.start());
    while !state.quit {
        terminal.draw(|frame| view::draw(frame, &state))?;
        // Short polls keep answers from the background flowing onto the screen.
        if event::poll(Duration::from_millis(50))?
            && let Event::Key(key) = event::read()?
            && key.kind == KeyEventKind::Press
            && let Some(action) = keys::action(key, &state.mode)
        {
            spawn(state.update(action));
        }
        while let Ok(action) = rx.try_recv() {
            spawn(state.update(action));
        }
    }
    Ok(())
}

/// Does one piece of background work and says how it went.
async fn perform(finance: &dyn Finance, effect: Effect) -> Answer {
    let failed = |e: Error| match e {
        Error::Invalid(v) => Answer::Rejected(v),
        // Shown under the balance typed, which the ledger does not reach.
        Error::Unreconciled { difference } => Answer::Rejected(ValidationError::new(
            "balance",
            format!("the ledger differs by {difference} (statement less ledger)"),
        )),
        Error::Unavailable(cause) => Answer::Failed(cause.chain()),
        other => Answer::Failed(other.chain()),
    };
    match effect {
        Effect::LoadProfile(currency) => finance
            .profile_in(&ProfileQueryInput {
                currency: currency.map(|c| c.to_string()),
                as_of: None,
            })
            .await
            .map_or_else(failed, Answer::ProfileLoaded),
        Effect::LoadMovements { account, cursor, q } => {
            let query = MovementQueryInput {
                cursor: cursor.map(|c| c.encode()),
                q,
                ..Default::default()
            };
            match finance.movements(&account, &query).await {
                Ok(page) => Answer::MovementsLoaded {
                    account: account.id,
                    page,
                    append: cursor.is_some(),
                },
                Err(e) => failed(e),
            }
        }
        Effect::LoadReports => {
            let report = finance.cash_flow(&CashFlowQueryInput::default()).await;
            let budgets = finance.budgets(&BudgetQueryInput::default()).await;
            match (report, budgets) {
                (Ok(r), Ok(b)) => Answer::ReportsLoaded(Box::new((r, b))),
                (Err(e), _) | (_, Err(e)) => failed(e),
            }
        }
        Effect::LoadSchedules => finance
            .schedules()
            .await
            .map_or_else(failed, Answer::SchedulesLoaded),
        Effect::CreateAccount(input) => finance
            .create_account(&input)
            .await
            .map_or_else(failed, Answer::AccountCreated),
        Effect::AddMovement { account, input } => finance
            .add_movement(&account, &input)
            .await
            .map_or_else(failed, Answer::MovementAdded),
        Effect::EditMovement { movement, patch } => finance
            .edit_movement(&movement, &patch)
            .await
            .map_or_else(failed, Answer::MovementEdited),
        Effect::Transfer(input) => finance
            .transfer(&input)
            .await
            .map_or_else(failed, |t| Answer::Transferred(Box::new(t))),
        Effect::DeleteMovement(movement) => match finance.delete_movement(&movement).await {
            Ok(()) => Answer::MovementDeleted(movement),
            Err(e) => failed(e),
        },
        Effect::LoadInvitations => finance
            .invitations()
            .await
            .map_or_else(failed, Answer::InvitationsLoaded),
        Effect::AnswerInvitation { id, accept } => finance
            .answer_invitation(id, accept)
            .await
            .map_or_else(failed, Answer::InvitationAnswered),
        Effect::LoadMembers(account) => match finance.members(&account).await {
            Ok(list) => Answer::MembersLoaded {
                account: account.id,
                list,
            },
            Err(e) => failed(e),
        },
        Effect::Invite { account, input } => finance
            .invite(&account, &input)
            .await
            .map_or_else(failed, Answer::MemberInvited),
        Effect::RemoveMember { account, member } => finance
            .remove_member(&account, member)
            .await
            .map_or_else(failed, |()| Answer::MemberRemoved),
        Effect::LoadRules => finance
            .rules()
            .await
            .map_or_else(failed, Answer::RulesLoaded),
        Effect::PreviewRule(rule) => finance
            .preview_rule(rule, false)
            .await
            .map_or_else(failed, |preview| Answer::RulePreviewed { rule, preview }),
        Effect::ApplyRule(rule) => finance
            .apply_rule(rule, false)
            .await
            .map_or_else(failed, Answer::RuleApplied),
        Effect::LoadHistory { account, movement } => {
            let query = HistoryQueryInput {
                entity_id: Some(movement.to_string()),
                limit: Some("200".into()),
                cursor: None,
            };
            finance
                .history(&account, &query)
                .await
                .map_or_else(failed, |page| Answer::HistoryLoaded { movement, page })
        }
        Effect::Reconcile { account, input } => finance
            .reconcile(&account, &input)
            .await
            .map_or_else(failed, Answer::Reconciled),
        Effect::FollowChanges(since) => follow(finance, since).await,
    }
}

/// How often the dashboard asks the change feed what changed.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

/// Reads the feed after `since`, a moment from now, to its end; without a cursor, finds
/// where it stands (the head the first page's cursor carries, skipping the state it would
/// list first). A failure (the server is away) is tried again the next time.
async fn follow(finance: &dyn Finance, since: Option<String>) -> Answer {
    tokio::time::sleep(FOLLOW_EVERY).await;
    let read = |since: Option<String>, limit: &str| ChangesQueryInput {
        since,
        limit: Some(limit.into()),
    };
    let Some(mut cursor) = since else {
        let next = finance
            .changes(&read(None, "1"))
            .await
            .ok()
            .and_then(|page| {
                ChangesCursor::decode(&page.next)
                    .ok()
                    .map(|c| c.from_now().encode())
            });
        return Answer::ChangesSeen {
            next,
            changed: false,
        };
    };
    let mut changed = false;
    loop {
        match finance.changes(&read(Some(cursor.clone()), "200")).await {
            Ok(page) => {
                changed |= !page.items.is_empty();
                cursor = page.next;
                if !page.has_more {
                    break;
                }
            }
            // Too old (the dashboard slept through the retention): everything again.
            Err(Error::CursorExpired) => {
                return Answer::ChangesSeen {
                    next: None,
                    changed: true,
                };
            }
            Err(_) => break,
        }
    }
    Answer::ChangesSeen {
        next: Some(cursor),
        changed,
    }
}
