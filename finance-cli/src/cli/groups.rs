//! The subcommands of the rates, config, report, budget and schedule groups.

use std::path::PathBuf;

use clap::Subcommand;

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
    CashFlow {
        #[command(flatten)]
        range: ReportRange,
        /// Only movements with this tag (repeat it: all must match).
        #[arg(long)]
        tag: Vec<String>,
    },
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

#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Make a rule: at least one --when-… and one --set-… or --add-tag. Rules are tried in
    /// order; per field the first matching one wins; tags of every match are added.
    Add(Box<RuleAdd>),
    /// Move a rule to another place in the order.
    Move { id: String, position: u32 },
    /// Show what the rule would change among existing movements (the first 200), without
    /// changing anything.
    Preview {
        id: String,
        /// Count movements that have a category already too.
        #[arg(long)]
        overwrite: bool,
    },
    /// Change every existing movement the rule would change, in one go.
    Apply {
        id: String,
        /// Replace categories that are set already too.
        #[arg(long)]
        overwrite: bool,
    },
    /// Delete a rule (movements keep what it did).
    Delete { id: String },
}

/// What `finance rule add` takes.
#[derive(Debug, clap::Args)]
pub struct RuleAdd {
    pub name: String,
    /// The description contains this text, in any case.
    #[arg(long)]
    pub when_contains: Option<String>,
    /// The description matches this regular expression (Rust regex syntax).
    #[arg(long)]
    pub when_matches: Option<String>,
    /// The amount is at least this (in the account's currency).
    #[arg(long, allow_hyphen_values = true)]
    pub when_min: Option<String>,
    /// The amount is at most this.
    #[arg(long, allow_hyphen_values = true)]
    pub when_max: Option<String>,
    /// Only on this account (name or id).
    #[arg(long)]
    pub when_account: Option<String>,
    /// Only on accounts in this currency.
    #[arg(long)]
    pub when_currency: Option<String>,
    /// Set this category (when the movement has none).
    #[arg(long)]
    pub set_category: Option<String>,
    /// Rewrite the description to this.
    #[arg(long)]
    pub set_description: Option<String>,
    /// Add this tag (repeat it for several).
    #[arg(long)]
    pub add_tag: Vec<String>,
    /// Its place among your rules, from 1; last if omitted.
    #[arg(long)]
    pub position: Option<u32>,
}

/// `finance webhook …`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// POST each event to URL, signed (`Finance-Signature`); prints the secret once.
    Add {
        url: String,
        /// An event to send (repeatable), e.g. movement.created or budget.exceeded; all
        /// when none is given.
        #[arg(long = "event")]
        events: Vec<String>,
    },
    /// The webhook's latest deliveries: each event, its state and every attempt's answer.
    Deliveries { id: String },
    /// Delete a webhook (what it had yet to deliver is dropped).
    Delete { id: String },
}

/// What `finance export` takes.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Account name or id (for CSV).
    #[arg(required_unless_present = "format")]
    pub account: Option<String>,
    /// hledger, ledger or beancount: a journal of every account instead of CSV.
    #[arg(long, value_parser = ["hledger", "ledger", "beancount"], conflicts_with = "account")]
    pub format: Option<String>,
    /// With --format: the first day (earlier movements become opening balances).
    #[arg(long, requires = "format")]
    pub from: Option<String>,
    /// With --format: the last day.
    #[arg(long, requires = "format")]
    pub to: Option<String>,
}
