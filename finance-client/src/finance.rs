use async_trait::async_trait;

use finance_core::domain::{
    Account, AccountInput, AccountPatch, Budget, BudgetInput, BudgetList, BudgetQueryInput,
    CashFlowQueryInput, CashFlowReport, CategoryList, ExchangeRate, Format, Imported, Movement,
    MovementId, MovementInput, MovementPage, MovementPatch, MovementQueryInput, NetWorthReport,
    Profile, ProfilePatch, ProfileQueryInput, RatePage, RateQueryInput, RatesImported,
    ReportQueryInput, Schedule, ScheduleId, ScheduleInput, ScheduleList, SchedulePatch, Transfer,
    TransferInput, Upcoming,
};
use finance_core::domain::{
    InvitationId, InvitationList, Member, MemberInput, MemberList, RoleInput, UserId,
};
use finance_core::error::Error;

/// What a person can do with their finances, wherever the data lives: the trait the CLI
/// and the TUI are written against. [`crate::LocalFinance`] runs the use cases on the
/// configured database; [`crate::RemoteFinance`] talks to a server over the REST API. Both apply the same rules, since the server runs the
/// same use cases.
#[async_trait]
pub trait Finance: crate::Categorising + crate::Books + Send + Sync {
    /// The user, their accounts with balances, totals per currency, and the net worth in
    /// the base currency (if one is set) at today's rates.
    async fn profile(&self) -> Result<Profile, Error> {
        self.profile_in(&ProfileQueryInput::default()).await
    }

    /// The profile with the net worth in `query.currency` at the rates of `query.as_of`.
    async fn profile_in(&self, query: &ProfileQueryInput) -> Result<Profile, Error>;

    /// Sets or clears the base currency; returns the profile as it is then.
    async fn update_profile(&self, patch: &ProfilePatch) -> Result<Profile, Error>;

    /// Deletes the user and everything they own, for good; their tokens stop working.
    async fn delete_me(&self) -> Result<(), Error>;

    /// Records a rate (1 base = rate quote on date), replacing that pair's on that day.
    async fn set_rate(
        &self,
        base: &str,
        quote: &str,
        date: &str,
        rate: &str,
    ) -> Result<ExchangeRate, Error>;

    /// A page of rates, newest first.
    async fn rates(&self, query: &RateQueryInput) -> Result<RatePage, Error>;

    async fn delete_rate(&self, base: &str, quote: &str, date: &str) -> Result<(), Error>;

    /// Imports the ECB's reference-rate CSV: every rate or none.
    async fn import_rates(&self, csv: &str) -> Result<RatesImported, Error>;

    /// A page of the movements of all accounts that pass the filters, newest first.
    async fn search(&self, query: &MovementQueryInput) -> Result<MovementPage, Error>;

    /// The categories with counts and sums per currency (the uncategorised as `None`).
    async fn categories(&self) -> Result<CategoryList, Error>;

    /// Income, expense and net per period, per currency and category (only movements
    /// with every tag of `query.tag`).
    async fn cash_flow(&self, query: &CashFlowQueryInput) -> Result<CashFlowReport, Error>;

    /// What was owned at the end of each period.
    async fn net_worth_report(&self, query: &ReportQueryInput) -> Result<NetWorthReport, Error>;

    /// Sets a category's monthly budget.
    async fn set_budget(&self, category: &str, input: &BudgetInput) -> Result<Budget, Error>;

    async fn delete_budget(&self, category: &str) -> Result<(), Error>;

    /// The budgets of a month with what was spent.
    async fn budgets(&self, query: &BudgetQueryInput) -> Result<BudgetList, Error>;

    /// Makes a schedule (its `account` an id); what is due by today is booked at once.
    async fn create_schedule(&self, input: &ScheduleInput) -> Result<Schedule, Error>;

    async fn schedules(&self) -> Result<ScheduleList, Error>;

    async fn edit_schedule(&self, id: ScheduleId, patch: &SchedulePatch)
    -> Result<Schedule, Error>;

    async fn delete_schedule(&self, id: ScheduleId) -> Result<(), Error>;

    /// The next `count` dates of a schedule.
    async fn upcoming(&self, id: ScheduleId, count: Option<u32>) -> Result<Upcoming, Error>;

    /// Books every due date of every schedule in the local database; how many it booked.
    /// A server books its own (at start and hourly), so remotely this is refused.
    async fn run_schedules(&self) -> Result<usize, Error>;

    /// One of the user's accounts, by id or exact name.
    async fn find_account(&self, id_or_name: &str) -> Result<Account, Error>;

    /// A page of an account's movements, newest first.
    async fn movements(
        &self,
        account: &Account,
        query: &MovementQueryInput,
    ) -> Result<MovementPage, Error>;

    async fn create_account(&self, input: &AccountInput) -> Result<Account, Error>;

    /// Renames, archives or unarchives the account; returns it as changed.
    async fn update_account(
        &self,
        account: &Account,
        patch: &AccountPatch,
    ) -> Result<Account, Error>;

    /// Deletes an account without movements (a conflict otherwise: archive it instead).
    async fn delete_account(&self, account: &Account) -> Result<(), Error>;

    async fn add_movement(
        &self,
        account: &Account,
        input: &MovementInput,
    ) -> Result<Movement, Error>;

    /// One movement of the user, by id alone, with the account it is on.
    async fn find_movement(&self, id: MovementId) -> Result<(Account, Movement), Error> {
        for account in self.profile().await?.accounts {
            match self.movement(&account, id).await {
                Ok(m) => return Ok((account, m)),
                Err(Error::NotFound) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::NotFound)
    }

    /// One movement of the account.
    async fn movement(&self, account: &Account, id: MovementId) -> Result<Movement, Error>;

    /// Corrects a movement; the account's balance follows.
    async fn edit_movement(
        &self,
        movement: &Movement,
        patch: &MovementPatch,
    ) -> Result<Movement, Error>;

    /// Deletes a movement; its amount leaves the balance.
    async fn delete_movement(&self, movement: &Movement) -> Result<(), Error>;

    /// Moves money between two of the user's accounts; returns the transfer with its legs.
    async fn transfer(&self, input: &TransferInput) -> Result<Transfer, Error>;

    /// Imports a bank file (CSV, OFX/QFX, QIF or camt.053) into the account: every row or
    /// none, rows imported before counted as duplicates.
    async fn import_file(
        &self,
        account: &Account,
        format: Format,
        file: &str,
    ) -> Result<Imported, Error>;

    /// Where the data lives, for messages ("the local database", a server URL).
    /// Invites an email to the account (owner only).
    async fn invite(&self, account: &Account, input: &MemberInput) -> Result<Member, Error>;

    /// The account's members and pending invitations.
    async fn members(&self, account: &Account) -> Result<MemberList, Error>;

    /// Gives a member another role; `owner` hands the account over.
    async fn change_member(
        &self,
        account: &Account,
        member: UserId,
        input: &RoleInput,
    ) -> Result<Member, Error>;

    /// Removes a member, or (with one's own id) leaves.
    async fn remove_member(&self, account: &Account, member: UserId) -> Result<(), Error>;

    /// The pending invitations to the user.
    async fn invitations(&self) -> Result<InvitationList, Error>;

    /// Accepts (the account as now seen) or declines an invitation.
    async fn answer_invitation(
        &self,
        id: InvitationId,
        accept: bool,
    ) -> Result<Option<Account>, Error>;

    fn location(&self) -> String;
}
