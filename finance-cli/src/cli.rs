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
        #[arg(long, short)]
        category: Option<String>,
    },
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
    /// Write an account's movements as CSV to standard output, oldest first.
    Export {
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
    },
    /// Delete a movement; its amount leaves the balance.
    Delete { id: String },
}

#[derive(Debug, Subcommand)]
pub enum RatesCommand {
    /// Record that 1 BASE was worth RATE QUOTE on a day (replacing that day's rate).
    Set {
        /// ISO 4217 code, such as EUR.
        base: String,
        /// ISO 4217 code, such as USD.
        quote: String,
        /// A positive decimal with at most 12 significant digits, such as 1.0842.
        rate: String,
        /// The day (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        date: Option<String>,
    },
    /// List rates, newest first.
    List {
        #[arg(long)]
        base: Option<String>,
        #[arg(long)]
        quote: Option<String>,
        /// Earliest date, inclusive (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Latest date, inclusive (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// How many rates per page (1 to 200).
        #[arg(long, default_value = "50")]
        limit: String,
        /// Follow every page instead of printing the first.
        #[arg(long)]
        all: bool,
    },
    /// Delete the rate of a pair on a day.
    Delete {
        base: String,
        quote: String,
        /// YYYY-MM-DD.
        date: String,
    },
    /// Import the European Central Bank's reference rates (eurofxref-hist.csv, or the
    /// daily eurofxref.csv): every rate or none.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Show, set or clear the currency your net worth is shown in.
    BaseCurrency {
        /// ISO 4217 code; without one, the current setting is shown.
        #[arg(conflicts_with = "clear")]
        currency: Option<String>,
        /// Forget the base currency.
        #[arg(long)]
        clear: bool,
    },
}

/// The period options of every report.
#[derive(Debug, clap::Args)]
pub struct ReportRange {
    /// First day (YYYY-MM-DD); the first of the month eleven months before --to if
    /// omitted.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD); today if omitted.
    #[arg(long)]
    pub to: Option<String>,
    /// month, week (ISO, from Monday) or day.
    #[arg(long)]
    pub step: Option<String>,
    /// Convert into this currency; the base currency if omitted.
    #[arg(long)]
    pub currency: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Income, expense and net per period, per currency (and converted).
    CashFlow(ReportRange),
    /// What you owned at the end of each period.
    NetWorth(ReportRange),
}

#[derive(Debug, Subcommand)]
pub enum BudgetCommand {
    /// Set the monthly limit of a category's expenses.
    Set {
        category: String,
        /// Positive, in --currency.
        amount: String,
        #[arg(long)]
        currency: String,
    },
    /// Delete a category's budget.
    Delete { category: String },
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Repeat a movement: every --every (times --interval) from --start, until --end.
    /// What is due by today is booked at once.
    Add {
        /// Account name or id.
        account: String,
        /// A decimal in the account's currency; negative for an expense.
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long, short)]
        description: String,
        #[arg(long, short)]
        category: Option<String>,
        /// The first date (YYYY-MM-DD); today if omitted.
        #[arg(long)]
        start: Option<String>,
        /// The last possible date, inclusive.
        #[arg(long)]
        end: Option<String>,
        /// day, week, month or year.
        #[arg(long, default_value = "month")]
        every: String,
        /// Every how many of them.
        #[arg(long)]
        interval: Option<u32>,
    },
    /// Your schedules.
    List,
    /// Change a schedule; only what is given changes, from the next date on.
    Edit {
        id: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long, short)]
        description: Option<String>,
        #[arg(long, short, conflicts_with = "no_category")]
        category: Option<String>,
        #[arg(long)]
        no_category: bool,
        #[arg(long)]
        start: Option<String>,
        #[arg(long, conflicts_with = "no_end")]
        end: Option<String>,
        /// Repeat without an end.
        #[arg(long)]
        no_end: bool,
        #[arg(long)]
        every: Option<String>,
        #[arg(long)]
        interval: Option<u32>,
    },
    /// Delete a schedule (the movements it booked stay).
    Delete { id: String },
    /// The next dates a schedule will book.
    Upcoming {
        id: String,
        #[arg(long)]
        count: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchedulesCommand {
    /// Book every due date not booked yet, once (cron-friendly; says what it booked).
    Run,
}
