use async_trait::async_trait;
use time::OffsetDateTime;

use super::error::StoreError;
use crate::domain::{
    Account, AccountId, BalanceHistory, Budget, CategorySum, Currency, DayFlow, Email,
    ExchangeRate, ImportRow, Imported, JournalImport, Money, Movement, MovementId, MovementPage,
    MovementQuery, RateAddress, RateFacts, RatePage, RateQuery, RatesImported, Schedule,
    ScheduleId, Transfer, TransferId, User, UserId,
};

/// Users, found by id or email.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait UserRepository: Send + Sync {
    async fn get_user(&self, id: UserId) -> Result<Option<User>, StoreError>;

    async fn find_user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError>;

    /// Returns the user with this email, creating it (with `id` and `now`) if there is none.
    /// Two racing signups of one email end with one user.
    async fn get_or_create_user(
        &self,
        id: UserId,
        email: &Email,
        now: OffsetDateTime,
    ) -> Result<User, StoreError>;

    /// Sets (or with `None` clears) the currency the user's net worth is shown in.
    async fn set_base_currency(
        &self,
        id: UserId,
        currency: Option<Currency>,
    ) -> Result<(), StoreError>;

    /// Deletes the user and everything that is theirs, in one transaction: the accounts
    /// they own with their movements, transfers, schedules and bank-file keys, their rates,
    /// budgets and idempotency keys; their leaving each account shared with them is in
    /// that account's history, at `at`. `NotFound` if there is no such user.
    async fn delete_user(&self, id: UserId, at: OffsetDateTime) -> Result<(), StoreError>;
}

/// Accounts; every read is scoped to a user (`owner` below: the one asking) and answers
/// only the accounts they are a member of, each with their role, so that others' accounts
/// look missing.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait AccountRepository: Send + Sync {
    /// Stores a new account (its balance is zero). `Refused(NameTaken)` if the owner
    /// already has one with that name.
    async fn create_account(&self, account: &Account) -> Result<(), StoreError>;

    async fn get_account(
        &self,
        owner: UserId,
        id: AccountId,
    ) -> Result<Option<Account>, StoreError>;

    async fn find_account_by_name(
        &self,
        owner: UserId,
        name: &str,
    ) -> Result<Option<Account>, StoreError>;

    /// The owner's accounts, ordered by name.
    async fn list_accounts(&self, owner: UserId) -> Result<Vec<Account>, StoreError>;

    /// Stores the account's name and archived flag (the rest never changes), if `owner`
    /// owns it (`NotFound` otherwise), with its history entry (`before` as it was read, at
    /// `at`); `Refused(NameTaken)` if the name is taken.
    async fn update_account(
        &self,
        owner: UserId,
        before: &Account,
        after: &Account,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Removes an account that has no movements; `Refused` if it has any, `NotFound` if it
    /// is not the owner's.
    async fn delete_account(
        &self,
        owner: UserId,
        id: AccountId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;
}

/// An idempotency key with the fingerprint of the request it was first used with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub fingerprint: String,
}

/// What adding a movement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// Stored now; `balance` is the account's balance right after.
    Created { movement: Movement, balance: Money },
    /// The key was already used with the same request: the first result, nothing written.
    Replayed { movement: Movement },
}

/// Movements, and the balance that must move with them.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait MovementRepository: Send + Sync {
    /// In one transaction: locks the owner's account, answers a replay of `idempotency`,
    /// adds the amount to the balance with checked arithmetic (`BalanceOverflow` writes
    /// nothing), inserts the movement and records the key.
    ///
    /// `NotFound` if the account does not exist or is not the owner's.
    async fn add_movement(
        &self,
        owner: UserId,
        movement: &Movement,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<Added, StoreError>;

    /// Imports a bank file's rows into one of the owner's accounts, in one transaction:
    /// locks the account (an archived one is `Refused`), records each row's key unless the
    /// account has it from an earlier import (a duplicate, skipped), inserts the new rows
    /// and moves the balance once, checked (`BalanceOverflow` writes nothing).
    async fn import_rows(
        &self,
        owner: UserId,
        account: AccountId,
        rows: &[ImportRow],
    ) -> Result<Imported, StoreError>;

    /// Writes a journal's records for `owner` in one transaction: its new accounts, their
    /// transfers, movements and reconciliations. A name the owner already uses is
    /// `Refused(NameTaken)`, and nothing is written.
    async fn import_journal(&self, owner: UserId, import: &JournalImport)
    -> Result<(), StoreError>;

    /// One movement of one of the owner's accounts.
    async fn get_movement(
        &self,
        owner: UserId,
        account: AccountId,
        id: MovementId,
    ) -> Result<Option<Movement>, StoreError>;

    /// Replaces `before` (as it was read) with `after` and moves the balance by the
    /// difference, in one transaction, with its history entry. `Stale` if the movement
    /// changed since it was read or is a transfer leg; `Refused` on an archived account or
    /// when either is dated where the account is reconciled; `BalanceOverflow` writes
    /// nothing. Returns the balance after.
    async fn update_movement(
        &self,
        owner: UserId,
        before: &Movement,
        after: &Movement,
    ) -> Result<Money, StoreError>;

    /// Removes `before` (as it was read) and takes its amount back from the balance, as
    /// `update_movement` does, at `at` (its history's time). Returns the balance after.
    async fn delete_movement(
        &self,
        owner: UserId,
        before: &Movement,
        at: OffsetDateTime,
    ) -> Result<Money, StoreError>;

    /// A page of the movements of `accounts` that pass the query's filters, newest first
    /// (by date, then by insertion) across them all. The accounts are ones the caller has
    /// already read, ownership checked; their currencies denominate the amounts (and the
    /// amount bounds), so the store needs no second look at them.
    async fn list_movements(
        &self,
        accounts: &[Account],
        query: &MovementQuery,
    ) -> Result<MovementPage, StoreError>;
}

/// What adding a transfer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedTransfer {
    Created,
    /// The key was already used with the same request: the first transfer.
    Replayed(Box<Transfer>),
}

/// Transfers: two movements of one owner, written, read and removed together.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait TransferRepository: Send + Sync {
    /// In one transaction: locks both accounts (in id order, so opposite transfers never
    /// deadlock), refuses an archived one, moves both balances with checked arithmetic
    /// (`BalanceOverflow` writes nothing), and stores the transfer with its legs.
    /// With `idempotency`, a retry of the same request answers the first transfer
    /// (`Replayed`) and writes nothing; the same key with another request is
    /// `Refused(IdempotencyKeyReused)`.
    async fn add_transfer(
        &self,
        owner: UserId,
        transfer: &Transfer,
        idempotency: Option<IdempotencyKey>,
    ) -> Result<AddedTransfer, StoreError>;

    async fn get_transfer(
        &self,
        owner: UserId,
        id: TransferId,
    ) -> Result<Option<Transfer>, StoreError>;

    /// Replaces `before` (as it was read) with `after`, moving both balances by the
    /// differences in one transaction; `Stale` if a leg changed since it was read.
    async fn update_transfer(
        &self,
        owner: UserId,
        before: &Transfer,
        after: &Transfer,
    ) -> Result<(), StoreError>;

    /// Removes both legs and takes them back from their balances, in one transaction, at
    /// `at` (its history's time).
    async fn delete_transfer(
        &self,
        owner: UserId,
        id: TransferId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;
}

/// Exchange rates: one per owner, pair and day.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait RateRepository: Send + Sync {
    /// Stores the rate, replacing the owner's rate of the same pair and day; true if it
    /// is new.
    async fn put_rate(&self, owner: UserId, rate: &ExchangeRate) -> Result<bool, StoreError>;

    /// `NotFound` if the owner has no rate there.
    async fn delete_rate(&self, owner: UserId, at: &RateAddress) -> Result<(), StoreError>;

    /// A page of the owner's rates, newest first, then by base and quote.
    async fn list_rates(&self, owner: UserId, query: &RateQuery) -> Result<RatePage, StoreError>;

    /// Stores all `rates` (distinct pairs and days) in one transaction or none, replacing
    /// those of the same pair and day; counts what was added and what replaced.
    async fn import_rates(
        &self,
        owner: UserId,
        rates: &[ExchangeRate],
    ) -> Result<RatesImported, StoreError>;

    /// The owner's accounts (as `list_accounts` has them) and what converting them on
    /// `on` may use: per pair, the latest explicit rate, and the rates the owner's
    /// cross-currency transfers imply, newest first; nothing dated after `on`. Together,
    /// so that a converted profile costs no more round trips than a plain one.
    async fn accounts_and_rates_on(
        &self,
        owner: UserId,
        on: time::Date,
    ) -> Result<(Vec<Account>, RateFacts), StoreError>;
}

/// What the reports aggregate, computed in the database (GROUP BY over indexed columns),
/// and the budgets. Transfer legs are left out of every sum: moving money between one's
/// own accounts is neither income nor expense.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait ReportRepository: Send + Sync {
    /// Per day from `from` to `to` (inclusive), currency and category: income and
    /// expense (a positive sum), a split movement's parts each in its category; only
    /// movements with every one of `tags`.
    async fn day_flows(
        &self,
        owner: UserId,
        from: time::Date,
        to: time::Date,
        tags: &[String],
    ) -> Result<Vec<DayFlow>, StoreError>;

    /// Per category (`None`: none) and currency: how many movements (or parts of split
    /// ones), and their sum.
    async fn category_sums(&self, owner: UserId) -> Result<Vec<CategorySum>, StoreError>;

    /// Every tag on the movements the user can see, with how many carry it, by name.
    async fn tag_counts(&self, owner: UserId) -> Result<Vec<(String, u64)>, StoreError>;

    /// Each of the owner's accounts' balance and, per account and day after `after`, the
    /// sum of its movements (transfer legs too: they moved balances), read together.
    async fn balance_history(
        &self,
        owner: UserId,
        after: time::Date,
    ) -> Result<BalanceHistory, StoreError>;

    /// Stores the budget, replacing the owner's of that category; true if it is new.
    async fn put_budget(&self, owner: UserId, budget: &Budget) -> Result<bool, StoreError>;

    /// `NotFound` if the owner has no budget for `category`.
    async fn delete_budget(&self, owner: UserId, category: &str) -> Result<(), StoreError>;

    /// The owner's budgets by category, each with the expenses (a positive sum) of its
    /// category in its currency from `from` to `to`.
    async fn budgets(
        &self,
        owner: UserId,
        from: time::Date,
        to: time::Date,
    ) -> Result<Vec<(Budget, i128)>, StoreError>;
}

/// Schedules of recurring movements, and the booking of their dates.
#[cfg_attr(any(test, feature = "testing"), mockall::automock)]
#[async_trait]
pub trait ScheduleRepository: Send + Sync {
    async fn create_schedule(&self, schedule: &Schedule) -> Result<(), StoreError>;

    async fn get_schedule(
        &self,
        owner: UserId,
        id: ScheduleId,
    ) -> Result<Option<Schedule>, StoreError>;

    /// The schedules of the accounts the user can see, by start.
    async fn list_schedules(&self, owner: UserId) -> Result<Vec<Schedule>, StoreError>;

    /// Stores what may change (all but the id, maker and account), if `user` may write to
    /// its account (`NotFound` / `Forbidden` otherwise), with its history entry (`before`
    /// as it was read).
    async fn update_schedule(
        &self,
        user: UserId,
        before: &Schedule,
        after: &Schedule,
    ) -> Result<(), StoreError>;

    /// Removes the schedule (the movements it booked stay), if `user` may write to its
    /// account, at `at` (its history's time).
    async fn delete_schedule(
        &self,
        owner: UserId,
        id: ScheduleId,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// The schedules (of `owner`, or of everyone) that may have dates up to `through` not
    /// booked yet, each with the latest date booked so far.
    async fn due_schedules(
        &self,
        owner: Option<UserId>,
        through: time::Date,
    ) -> Result<Vec<(Schedule, Option<time::Date>)>, StoreError>;

    /// In one transaction: books each movement's date for the schedule unless it was
    /// booked before (by any server or process), inserts the movements of the dates it
    /// booked and moves the balance (`BalanceOverflow`, `Refused` on an archived account:
    /// nothing written). A date on or before the account's latest reconciled day is
    /// skipped, never booked (not later either). Returns how many it booked and skipped.
    async fn book(
        &self,
        schedule: &Schedule,
        movements: &[Movement],
    ) -> Result<(usize, usize), StoreError>;
}
