//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Record income and expenses across accounts and see what you own.
///
/// Works on the local database by default (acting as FINANCE_USER / --user), or on a
/// server with --server URL after `finance login EMAIL --server URL`.
#[derive(Debug, Parser)]
#[command(name = "finance", version, propagate_version = true)]
pub struct Cli {
    /// Use the server at URL instead of the local database.
    #[arg(long, global = true, env = "FINANCE_SERVER", value_name = "URL")]
    pub server: Option<String>,

    /// The local user to act as (created on first use).
    #[arg(long, global = true, env = "FINANCE_USER", value_name = "EMAIL")]
    pub user: Option<String>,

    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in to a server: asks for the code mailed to EMAIL and stores the token.
    Login { email: String },
    /// Forget the stored token.
    Logout,
    /// Delete your user for good: every account you own with its movements, your rates,
    /// budgets and schedules. Asks you to type your email again.
    DeleteMe {
        /// Do not ask (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Accounts with balances, totals per currency, and the net worth in one currency
    /// (--currency, else the base currency of `finance config base-currency`).
    Overview {
        /// ISO 4217 code to convert everything to.
        #[arg(long)]
        currency: Option<String>,
        /// Convert at the rates of this day (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Find movements in every account (or one, with --account), newest first.
    Search {
        /// Text the description contains, in any case.
        text: Option<String>,
        #[arg(long, short)]
        category: Option<String>,
        /// Least amount, inclusive, in each account's currency.
        #[arg(long, allow_hyphen_values = true)]
        min: Option<String>,
        /// Greatest amount, inclusive, in each account's currency.
        #[arg(long, allow_hyphen_values = true)]
        max: Option<String>,
        /// Earliest date, inclusive (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Latest date, inclusive (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Only this account (name or id).
        #[arg(long)]
        account: Option<String>,
        /// Only movements with this tag (repeat it: all must match).
        #[arg(long)]
        tag: Vec<String>,
        /// How many movements per page (1 to 200).
        #[arg(long, default_value = "50")]
        limit: String,
        /// Follow every page instead of printing the first.
        #[arg(long)]
        all: bool,
    },
    /// Categories with how many movements each has and their sums per currency.
    Categories,
    /// Cash flow and net worth over time.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Monthly budgets per category: lists them with what was spent (default), or sets
    /// or deletes one.
    Budget {
        #[command(subcommand)]
        command: Option<BudgetCommand>,
        /// The month to list (YYYY-MM); this month if omitted.
        #[arg(long)]
        month: Option<String>,
    },
    /// Recurring movements: add, list, edit, delete, preview.
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// Book what schedules have due (local mode; a server books its own).
    #[command(subcommand)]
    Schedules(SchedulesCommand),
    /// Exchange rates: set, list, delete, import the ECB's CSV.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Settings kept with your data.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// List accounts with balances (archived ones only with --all).
    Accounts {
        /// Show archived accounts too.
        #[arg(long)]
        all: bool,
    },
    /// Create or show an account.
    #[command(subcommand)]
    Account(AccountCommand),
    /// List an account's movements, newest first.
    Movements {
        /// Account name or id.
        account: String,
        /// Earliest date, inclusive (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Latest date, inclusive (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// How many movements per page (1 to 200).
        #[arg(long, default_value = "50")]
        limit: String,
        /// Follow every page instead of printing the first.
        #[arg(long)]
        all: bool,
    },
    /// Record income (positive AMOUNT) or an expense (negative AMOUNT).
    AddMovement {
        /// Account name or id.
        account: String,
        /// A decimal in the account's currency, such as -12.50.
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long, short)]
        description: String,
        /// The day it happened (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, short, conflicts_with = "split")]
        category: Option<String>,
        /// A part of a split: CATEGORY:AMOUNT (repeat it; the parts sum to AMOUNT).
        #[arg(long, value_parser = split_part, allow_hyphen_values = true)]
        split: Vec<SplitInput>,
        /// A tag (repeat it for several).
        #[arg(long)]
        tag: Vec<String>,
    },
    /// Reconcile an account with a bank statement's closing balance: when they match,
    /// what is dated on or before DATE is locked; else the difference is shown with the
    /// movements of the days before it. `--undo` removes the latest reconciliation.
    Reconcile {
        /// Account name or id.
        account: String,
        /// The statement's last day (YYYY-MM-DD).
        #[arg(long, required_unless_present = "undo")]
        date: Option<String>,
        /// The statement's closing balance, in the account's currency.
        #[arg(long, allow_hyphen_values = true, required_unless_present = "undo")]
        balance: Option<String>,
        /// Remove the latest reconciliation instead, unlocking what it locked.
        #[arg(long, conflicts_with_all = ["date", "balance"])]
        undo: bool,
    },
    /// An account's reconciliations, newest first.
    Reconciliations {
        /// Account name or id.
        account: String,
    },
    /// An account's balance at the end of a day.
    Balance {
        /// Account name or id.
        account: String,
        /// The day (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        on: Option<String>,
    },
    /// Every change to an account's records, newest first (one movement's with
    /// --movement).
    History {
        /// Account name or id.
        account: String,
        /// Only this movement's (or another record's) changes, by id.
        #[arg(long)]
        movement: Option<String>,
        /// How many changes per page (1 to 200).
        #[arg(long, default_value = "50")]
        limit: String,
        /// Follow every page instead of printing the first.
        #[arg(long)]
        all: bool,
    },
    /// What changed since a cursor (without one, the current state first), one JSON line
    /// per change; the cursor to keep goes to stderr as `next: …`.
    Changes {
        /// The cursor printed by the previous run.
        #[arg(long)]
        since: Option<String>,
        /// Changes per request (1 to 200).
        #[arg(long, default_value = "100")]
        limit: String,
        /// Keep asking every two seconds.
        #[arg(long)]
        follow: bool,
    },
    /// Your webhooks: where events are POSTed, what they listen to, and whether they work.
    Webhooks,
    /// Add or delete a webhook, or see its deliveries.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Tags in use, with how many movements carry each.
    Tags,
    /// Your rules, in the order they are tried, with how many movements each changed.
    Rules,
    /// Make, preview, apply or delete a rule that categorises movements as they are
    /// recorded (here, on a server, by a bank import or a schedule).
    #[command(subcommand)]
    Rule(RuleCommand),
    /// Move money from one account to another (both legs at once).
    Transfer {
        /// Source account name or id.
        from: String,
        /// Target account name or id.
        to: String,
        /// Positive, in the source account's currency.
        amount: String,
        /// What arrived, in the target's currency (required between two currencies).
        #[arg(long)]
        to_amount: Option<String>,
        #[arg(long, short)]
        description: String,
        /// The day it happened (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        date: Option<String>,
    },
    /// Show, correct or delete one movement.
    #[command(subcommand)]
    Movement(MovementCommand),
    /// Import a bank file: CSV (date,amount,description[,category], or named columns
    /// with id and currency), OFX/QFX, QIF or camt.053; all rows or none, and rows
    /// imported before are skipped as duplicates.
    Import {
        /// Account name or id.
        account: String,
        file: PathBuf,
        /// csv, ofx, qif or camt; guessed from the file's extension and content if omitted.
        #[arg(long)]
        format: Option<String>,
    },
    /// Import a journal (hledger's or Beancount's syntax, such as `finance export
    /// --format …` writes) into new accounts: all of it or nothing, errors by line.
    ImportJournal { file: PathBuf },
    /// Write an account's movements as CSV to standard output, oldest first; or, with
    /// --format, all your books as a journal for hledger, ledger or Beancount.
    Export(ExportArgs),
    /// Share an account: invites EMAIL (mailed, valid for 7 days) as an editor (records
    /// movements) or a viewer (reads).
    Share {
        /// Account name or id.
        account: String,
        email: String,
        #[arg(long, value_parser = ["editor", "viewer"])]
        role: String,
    },
    /// An account's members and pending invitations; --remove EMAIL takes one away.
    Members {
        /// Account name or id.
        account: String,
        /// The member (or invited email) to remove.
        #[arg(long)]
        remove: Option<String>,
    },
    /// Your pending invitations; accept or decline one by its id.
    Invitations {
        #[arg(long, conflicts_with = "decline")]
        accept: Option<String>,
        #[arg(long)]
        decline: Option<String>,
    },
    /// Leave an account shared with you (its owner hands it over first).
    Leave {
        /// Account name or id.
        account: String,
    },
    /// Print a shell completion script.
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Open an account.
    Create {
        name: String,
        /// ISO 4217 code such as EUR, USD, JPY.
        #[arg(long)]
        currency: String,
    },
    /// Show one account with its balance.
    Show {
        /// Account name or id.
        account: String,
    },
    /// Give an account another name.
    Rename {
        /// Account name or id.
        account: String,
        new_name: String,
    },
    /// Archive an account: it keeps its movements and counts in totals, but takes no new
    /// movements and is hidden from `finance accounts` without --all.
    Archive {
        /// Account name or id.
        account: String,
        /// Make an archived account take movements again.
        #[arg(long)]
        unarchive: bool,
    },
    /// Delete an account that has no movements (archive one that has).
    Delete {
        /// Account name or id.
        account: String,
    },
    /// Make a member the account's owner; you stay on as an editor.
    HandOver {
        /// Account name or id.
        account: String,
        /// The member's email.
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MovementCommand {
    /// Show one movement.
    Show { id: String },
    /// Correct a movement: only the fields given change; its account's balance follows.
    Edit {
        id: String,
        /// A decimal in the account's currency, such as -12.50.
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long, short)]
        description: Option<String>,
        /// The day it happened (YYYY-MM-DD).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, short, conflicts_with = "no_category")]
        category: Option<String>,
        /// Remove the category.
        #[arg(long)]
        no_category: bool,
        /// Split it: CATEGORY:AMOUNT per part (repeat it; replaces any parts).
        #[arg(long, value_parser = split_part, allow_hyphen_values = true,
              conflicts_with_all = ["no_split", "category"])]
        split: Vec<SplitInput>,
        /// Make it one amount again (give --category for it).
        #[arg(long)]
        no_split: bool,
        /// Its tags: repeat it for several (replaces the tags).
        #[arg(long, conflicts_with = "no_tags")]
        tag: Vec<String>,
        /// Remove every tag.
        #[arg(long)]
        no_tags: bool,
    },
    /// Delete a movement; its amount leaves the balance.
    Delete { id: String },
}

mod groups;
pub use groups::*;

use finance_core::domain::SplitInput;

/// `CATEGORY:AMOUNT` (the amount after the last colon, so a category may hold one).
fn split_part(raw: &str) -> Result<SplitInput, String> {
    let (category, amount) = raw
        .rsplit_once(':')
        .ok_or_else(|| format!("{raw:?} is not CATEGORY:AMOUNT, such as food:-45.30"))?;
    Ok(SplitInput {
        amount: amount.to_string(),
        category: category.to_string(),
        description: None,
    })
}
