use async_trait::async_trait;

use finance_core::App;
use finance_core::domain::{
    Account, AccountInput, AccountPatch, Budget, BudgetInput, BudgetList, BudgetQueryInput,
    CashFlowQueryInput, CashFlowReport, CategoryList, ExchangeRate, Format, Imported, Movement,
    MovementId, MovementInput, MovementPage, MovementPatch, MovementQueryInput, NetWorthReport,
    Profile, ProfilePatch, ProfileQueryInput, RateInput, RatePage, RateQueryInput, RatesImported,
    ReportQueryInput, Schedule, ScheduleId, ScheduleInput, ScheduleList, SchedulePatch, Transfer,
    TransferInput, Upcoming, User,
};
use finance_core::domain::{
    InvitationId, InvitationList, Member, MemberInput, MemberList, RoleInput, UserId,
};
use finance_core::error::Error;
use finance_core::ports::Added;

use crate::Finance;

/// The use cases on the configured database, acting as one user: the default mode of the
/// CLI and the TUI.
#[derive(Clone)]
pub struct LocalFinance {
    app: App,
    user: User,
}

impl LocalFinance {
    /// Acts as the user with `email`, created on first use.
    pub async fn open(app: App, email: &str) -> Result<Self, Error> {
        let user = app.local_user(email).await?;
        Ok(Self { app, user })
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub(crate) fn app(&self) -> &App {
        &self.app
    }
}

#[async_trait]
impl Finance for LocalFinance {
    async fn profile_in(&self, query: &ProfileQueryInput) -> Result<Profile, Error> {
        self.app.get_profile(self.user.id, query).await
    }

    async fn update_profile(&self, patch: &ProfilePatch) -> Result<Profile, Error> {
        self.app.update_profile(self.user.id, patch).await
    }

    async fn delete_me(&self) -> Result<(), Error> {
        self.app.delete_me(self.user.id).await
    }

    async fn set_rate(
        &self,
        base: &str,
        quote: &str,
        date: &str,
        rate: &str,
    ) -> Result<ExchangeRate, Error> {
        let input = RateInput { rate: rate.into() };
        let (rate, _) = self
            .app
            .set_rate(self.user.id, base, quote, date, &input)
            .await?;
        Ok(rate)
    }

    async fn rates(&self, query: &RateQueryInput) -> Result<RatePage, Error> {
        self.app.list_rates(self.user.id, query).await
    }

    async fn delete_rate(&self, base: &str, quote: &str, date: &str) -> Result<(), Error> {
        self.app.delete_rate(self.user.id, base, quote, date).await
    }

    async fn import_rates(&self, csv: &str) -> Result<RatesImported, Error> {
        self.app.import_rates(self.user.id, csv).await
    }

    async fn search(&self, query: &MovementQueryInput) -> Result<MovementPage, Error> {
        self.app.list_all_movements(self.user.id, query).await
    }

    async fn categories(&self) -> Result<CategoryList, Error> {
        self.app.list_categories(self.user.id).await
    }

    async fn cash_flow(&self, query: &CashFlowQueryInput) -> Result<CashFlowReport, Error> {
        self.app.cash_flow_report(self.user.id, query).await
    }

    async fn net_worth_report(&self, query: &ReportQueryInput) -> Result<NetWorthReport, Error> {
        self.app.net_worth_report(self.user.id, query).await
    }

    async fn set_budget(&self, category: &str, input: &BudgetInput) -> Result<Budget, Error> {
        Ok(self.app.set_budget(self.user.id, category, input).await?.0)
    }

    async fn delete_budget(&self, category: &str) -> Result<(), Error> {
        self.app.delete_budget(self.user.id, category).await
    }

    async fn budgets(&self, query: &BudgetQueryInput) -> Result<BudgetList, Error> {
        self.app.list_budgets(self.user.id, query).await
    }

    async fn create_schedule(&self, input: &ScheduleInput) -> Result<Schedule, Error> {
        self.app.create_schedule(self.user.id, input).await
    }

    async fn schedules(&self) -> Result<ScheduleList, Error> {
        self.app.list_schedules(self.user.id).await
    }

    async fn edit_schedule(
        &self,
        id: ScheduleId,
        patch: &SchedulePatch,
    ) -> Result<Schedule, Error> {
        self.app.edit_schedule(self.user.id, id, patch).await
    }

    async fn delete_schedule(&self, id: ScheduleId) -> Result<(), Error> {
        self.app.delete_schedule(self.user.id, id).await
    }

    async fn upcoming(&self, id: ScheduleId, count: Option<u32>) -> Result<Upcoming, Error> {
        let count = count.map(|c| c.to_string());
        self.app.upcoming(self.user.id, id, count.as_deref()).await
    }

    async fn run_schedules(&self) -> Result<usize, Error> {
        self.app.run_schedules().await
    }

    async fn find_account(&self, id_or_name: &str) -> Result<Account, Error> {
        self.app.find_account(self.user.id, id_or_name).await
    }

    async fn movements(
        &self,
        account: &Account,
        query: &MovementQueryInput,
    ) -> Result<MovementPage, Error> {
        self.app
            .list_movements(self.user.id, account.id, query)
            .await
    }

    async fn create_account(&self, input: &AccountInput) -> Result<Account, Error> {
        self.app.create_account(self.user.id, input).await
    }

    async fn update_account(
        &self,
        account: &Account,
        patch: &AccountPatch,
    ) -> Result<Account, Error> {
        self.app
            .update_account(self.user.id, account.id, patch)
            .await
    }

    async fn delete_account(&self, account: &Account) -> Result<(), Error> {
        self.app.delete_account(self.user.id, account.id).await
    }

    async fn transfer(&self, input: &TransferInput) -> Result<Transfer, Error> {
        let (transfer, _) = self.app.create_transfer(self.user.id, input, None).await?;
        Ok(transfer)
    }

    async fn movement(&self, account: &Account, id: MovementId) -> Result<Movement, Error> {
        self.app.get_movement(self.user.id, account.id, id).await
    }

    async fn edit_movement(
        &self,
        movement: &Movement,
        patch: &MovementPatch,
    ) -> Result<Movement, Error> {
        // The state it was read in: a change made meanwhile is refused, not overwritten.
        let tag = movement.etag();
        self.app
            .edit_movement(
                self.user.id,
                movement.account_id,
                movement.id,
                patch,
                Some(&tag),
            )
            .await
    }

    async fn delete_movement(&self, movement: &Movement) -> Result<(), Error> {
        let tag = movement.etag();
        self.app
            .delete_movement(self.user.id, movement.account_id, movement.id, Some(&tag))
            .await
    }

    async fn add_movement(
        &self,
        account: &Account,
        input: &MovementInput,
    ) -> Result<Movement, Error> {
        match self
            .app
            .add_movement(self.user.id, account.id, input, None)
            .await?
        {
            Added::Created { movement, .. } | Added::Replayed { movement } => Ok(movement),
        }
    }

    async fn import_file(
        &self,
        account: &Account,
        format: Format,
        file: &str,
    ) -> Result<Imported, Error> {
        self.app
            .import_statement(self.user.id, account.id, format, file.to_string())
            .await
    }

    async fn invite(&self, account: &Account, input: &MemberInput) -> Result<Member, Error> {
        self.app
            .invite_member(self.user.id, account.id, input, None)
            .await
            .map(|(member, _)| member)
    }

    async fn members(&self, account: &Account) -> Result<MemberList, Error> {
        self.app.list_members(self.user.id, account.id).await
    }

    async fn change_member(
        &self,
        account: &Account,
        member: UserId,
        input: &RoleInput,
    ) -> Result<Member, Error> {
        self.app
            .change_member(self.user.id, account.id, member, input)
            .await
    }

    async fn remove_member(&self, account: &Account, member: UserId) -> Result<(), Error> {
        self.app
            .remove_member(self.user.id, account.id, member)
            .await
    }

    async fn invitations(&self) -> Result<InvitationList, Error> {
        self.app.list_invitations(self.user.id).await
    }

    async fn answer_invitation(
        &self,
        id: InvitationId,
        accept: bool,
    ) -> Result<Option<Account>, Error> {
        if accept {
            self.app.accept_invitation(self.user.id, id).await.map(Some)
        } else {
            self.app
                .decline_invitation(self.user.id, id)
                .await
                .map(|()| None)
        }
    }

    fn location(&self) -> String {
        "the local database".into()
    }
}
