//! Types and rules of the service, with no I/O: once a value of these types exists, it is
//! valid, so later layers never check it again.

mod bound;
mod budget;
mod cash_flow;
mod category;
mod changes;
mod conversion;
mod currency;
#[cfg(feature = "openapi")]
mod cursor_patterns;
mod ecb;
mod email;
mod entities;
mod error;
mod feed;
mod fields;
mod history;
mod history_text;
mod ids;
mod journal;
mod money;
mod movement;
mod page;
mod profile;
mod rate;
mod rate_page;
mod reconciliation;
mod recurrence;
mod refusal;
mod report;
pub(crate) mod rule;
mod schedule;
#[cfg(feature = "openapi")]
pub mod schemas;
mod sharing;
mod split;
mod statement;
mod tags;
mod transfer;
mod webhook;
mod webhook_delivery;
mod webhook_event;
mod wire;

pub use bound::AmountBound;
pub use budget::{Budget, BudgetInput, BudgetList, BudgetQueryInput, BudgetStatus, parse_month};
pub use cash_flow::{
    CashFlowPeriod, CashFlowQueryInput, CashFlowReport, CategoryFlow, DayFlow, Flow, cash_flow,
};
pub use category::{CategoryList, CategorySum, CategorySummary, CategoryTotal, categories};
pub use changes::{
    ChangeItem, ChangePage, ChangesCursor, ChangesQuery, ChangesQueryInput, DEFAULT_CHANGES,
};
pub use conversion::{Factor, NetWorth, RateBook, net_worth};
pub use currency::Currency;
pub use ecb::{EcbRates, parse_ecb_csv};
pub use email::Email;
pub use entities::*;
pub use error::{FieldError, ValidationError, Validator};
pub use feed::{Fed, FeedAction, FeedEntity, FeedPosition};
pub use history::{
    Change, HistoryAction, HistoryEntity, HistoryEntry, HistoryPage, HistoryQuery,
    HistoryQueryInput,
};
pub use journal::{
    Assertion, Checkpoint, Entry, ExportQuery, ExportQueryInput, JournalAccount, JournalBooks,
    JournalFormat, JournalImport, JournalImported, JournalNames, JournalWriter, OPENED_ON,
    UNCATEGORIZED, component, read_journal, syntax_of,
};
pub use money::{Money, MoneyError, MoneySum};
pub use movement::*;
pub use page::{Cursor, DEFAULT_LIMIT, MAX_LIMIT, MovementPage, MovementQuery, MovementQueryInput};
pub use profile::{
    Profile, ProfilePatch, ProfileQuery, ProfileQueryInput, Total, totals, usual_currency,
};
pub use rate::{ExchangeRate, ImpliedRate, Rate, RateAddress, RateFacts, RateInput, RatesImported};
pub use rate_page::{CurrencyCode, RateCursor, RatePage, RateQuery, RateQueryInput};
pub use reconciliation::{
    BalanceQueryInput, DayBalance, Reconciled, Reconciliation, ReconciliationInput,
    ReconciliationList, Statement,
};
pub use refusal::Refusal;
pub use report::{
    BalanceHistory, MAX_PERIODS, NetWorthPoint, NetWorthReport, Period, ReportQuery,
    ReportQueryInput, Step, month_end, month_start, periods,
};
pub use rule::{
    Actions, Applied, ApplyInput, Candidate, Conditions, PREVIEW_MAX, Rule, RuleBook, RuleChange,
    RuleInput, RuleList, RulePatch, RulePreview, check_rule, compile_pattern,
};
pub use schedule::{
    Every, MAX_BOOKED_AT_ONCE, MAX_INTERVAL, Recurrence, Schedule, ScheduleInput, ScheduleList,
    SchedulePatch, ScheduleRules, Upcoming,
};
pub use sharing::{
    AccountSummary, Action, Denied, INVITATION_TTL, Invitation, InvitationList, Member,
    MemberChange, MemberInput, MemberList, MemberStatus, RoleInput, access, member_change,
};
pub use split::{MAX_PARTS, Split, SplitInput, parse_splits, splits_from_text, splits_to_text};
pub use statement::samples;
pub use statement::{
    Format, ImportRow, Imported, StatementRow, import_rows, parse_statement, spreadsheet_safe,
};
pub use tags::{
    MAX_TAGS, TAG_MAX, TagCount, TagList, parse_tag, parse_tags, tags_from_text, tags_to_text,
    with_tags,
};
pub use transfer::{Transfer, TransferInput, TransferPatch};
pub use webhook::{
    CreatedWebhook, EventType, Events, NewWebhook, Webhook, WebhookInput, WebhookList,
    WebhookStatus, WebhookUrl,
};
pub use webhook_delivery::{Attempt, Delivery, DeliveryList, DeliveryState};
pub use webhook_event::{GIVE_UP_AFTER, Hooked, event_body, is_public, retry_delay, sign_event};
pub use wire::{CodeRequest, ProblemDetails, SignedIn, TokenRequest};
