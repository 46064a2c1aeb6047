//! [`Finance`] over the REST API of a finance server: the CLI's and TUI's remote mode.
//!
//! The wire forms are read back into domain types (amounts parsed in the account's
//! currency), and problem answers into the same [`Error`]s the local mode gives, so a
//! frontend cannot tell the two apart except by [`Finance::location`].

use async_trait::async_trait;
use reqwest::Method;

use finance_core::domain::*;
use finance_core::error::Error;
use finance_core::ports::Cause;

use crate::Finance;

mod auth;
mod http;
mod wire;

use http::{call, client, segment};

use wire::{
    AccountDto, BudgetDto, BudgetListDto, CashFlowReportDto, CategoryListDto, MovementDto,
    NetWorthDto, NetWorthReportDto, PageDto, ProfileDto, RateDto, RatePageDto, ScheduleDto,
    ScheduleListDto, TransferDto, UpcomingDto, bad_answer, currency_of,
};

/// A signed-in connection to a server.
#[derive(Clone)]
pub struct RemoteFinance {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl RemoteFinance {
    /// A client for the server at `base` (`http://host:port`) with a bearer token.
    pub fn new(base: &str, token: &str) -> Result<Self, Error> {
        Ok(Self {
            http: client()?,
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
        })
    }

    async fn get_profile(&self) -> Result<ProfileDto, Error> {
        self.send(Method::GET, "/v1/me", None, None).await
    }

    /// A schedule from the server, its amount in its account's currency.
    async fn schedule_of(&self, dto: ScheduleDto) -> Result<Schedule, Error> {
        let profile = self.profile().await?;
        let currency = profile
            .accounts
            .iter()
            .find(|a| a.id.to_string() == dto.account())
            .map(|a| a.currency)
            .ok_or_else(|| bad_answer("account", "a schedule of an unknown account"))?;
        dto.into_schedule(profile.user.id, currency)
    }

    /// The profile from an answer of `/v1/me`, amounts parsed in their currencies.
    fn into_profile(dto: ProfileDto) -> Result<Profile, Error> {
        let user = dto.user.into_user()?;
        let accounts = dto
            .accounts
            .into_iter()
            .map(|a| a.into_account(user.id))
            .collect::<Result<Vec<_>, _>>()?;
        let totals = dto
            .totals
            .into_iter()
            .map(|t| {
                let currency = currency_of(&t.currency)?;
                let balance =
                    MoneySum::parse(&t.balance, currency).map_err(|e| bad_answer("total", e))?;
                Ok(Total { currency, balance })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Profile {
            user,
            accounts,
            totals,
            net_worth: dto.net_worth.map(NetWorthDto::into_net_worth).transpose()?,
        })
    }

    async fn post_movement(
        &self,
        account: &Account,
        input: &MovementInput,
        key: Option<&str>,
    ) -> Result<Movement, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let dto: MovementDto = self
            .send(
                Method::POST,
                &format!("/v1/accounts/{}/movements", account.id),
                Some(&body),
                key,
            )
            .await?;
        dto.into_movement(account.currency)
    }
}

#[async_trait]
impl Finance for RemoteFinance {
    async fn profile_in(&self, query: &ProfileQueryInput) -> Result<Profile, Error> {
        let dto: ProfileDto = self.get_query("/v1/me", query).await?;
        Self::into_profile(dto)
    }

    async fn update_profile(&self, patch: &ProfilePatch) -> Result<Profile, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        let dto: ProfileDto = self
            .send(Method::PATCH, "/v1/me", Some(&body), None)
            .await?;
        Self::into_profile(dto)
    }

    async fn set_rate(
        &self,
        base: &str,
        quote: &str,
        date: &str,
        rate: &str,
    ) -> Result<ExchangeRate, Error> {
        let body = serde_json::json!({ "rate": rate });
        let path = format!(
            "/v1/rates/{}/{}/{}",
            segment(base),
            segment(quote),
            segment(date)
        );
        let dto: RateDto = self.send(Method::PUT, &path, Some(&body), None).await?;
        dto.into_rate()
    }

    async fn rates(&self, query: &RateQueryInput) -> Result<RatePage, Error> {
        let dto: RatePageDto = self.get_query("/v1/rates", query).await?;
        dto.into_page()
    }

    async fn delete_rate(&self, base: &str, quote: &str, date: &str) -> Result<(), Error> {
        let path = format!(
            "/v1/rates/{}/{}/{}",
            segment(base),
            segment(quote),
            segment(date)
        );
        self.send(Method::DELETE, &path, None, None).await
    }

    async fn search(&self, query: &MovementQueryInput) -> Result<MovementPage, Error> {
        let profile = self.profile().await?;
        let dto: PageDto = self.get_query("/v1/movements", query).await?;
        dto.into_page(&profile.accounts)
    }

    async fn categories(&self) -> Result<CategoryList, Error> {
        let dto: CategoryListDto = self.send(Method::GET, "/v1/categories", None, None).await?;
        dto.into_list()
    }

    async fn cash_flow(&self, query: &ReportQueryInput) -> Result<CashFlowReport, Error> {
        let dto: CashFlowReportDto = self.get_query("/v1/reports/cash-flow", query).await?;
        dto.into_report()
    }

    async fn net_worth_report(&self, query: &ReportQueryInput) -> Result<NetWorthReport, Error> {
        let dto: NetWorthReportDto = self.get_query("/v1/reports/net-worth", query).await?;
        dto.into_report()
    }

    async fn set_budget(&self, category: &str, input: &BudgetInput) -> Result<Budget, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/budgets/{}", segment(category));
        let dto: BudgetDto = self.send(Method::PUT, &path, Some(&body), None).await?;
        dto.into_budget()
    }

    async fn delete_budget(&self, category: &str) -> Result<(), Error> {
        let path = format!("/v1/budgets/{}", segment(category));
        self.send(Method::DELETE, &path, None, None).await
    }

    async fn budgets(&self, query: &BudgetQueryInput) -> Result<BudgetList, Error> {
        let dto: BudgetListDto = self.get_query("/v1/budgets", query).await?;
        dto.into_list()
    }

    async fn create_schedule(&self, input: &ScheduleInput) -> Result<Schedule, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let dto: ScheduleDto = self
            .send(Method::POST, "/v1/schedules", Some(&body), None)
            .await?;
        self.schedule_of(dto).await
    }

    async fn schedules(&self) -> Result<ScheduleList, Error> {
        let dto: ScheduleListDto = self.send(Method::GET, "/v1/schedules", None, None).await?;
        let mut items = Vec::new();
        for s in dto.items {
            items.push(self.schedule_of(s).await?);
        }
        Ok(ScheduleList { items })
    }

    async fn edit_schedule(
        &self,
        id: ScheduleId,
        patch: &SchedulePatch,
    ) -> Result<Schedule, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        let dto: ScheduleDto = self
            .send(
                Method::PATCH,
                &format!("/v1/schedules/{id}"),
                Some(&body),
                None,
            )
            .await?;
        self.schedule_of(dto).await
    }

    async fn delete_schedule(&self, id: ScheduleId) -> Result<(), Error> {
        self.send(Method::DELETE, &format!("/v1/schedules/{id}"), None, None)
            .await
    }

    async fn upcoming(&self, id: ScheduleId, count: Option<u32>) -> Result<Upcoming, Error> {
        let qs = count.map(|c| format!("?count={c}")).unwrap_or_default();
        let dto: UpcomingDto = self
            .send(
                Method::GET,
                &format!("/v1/schedules/{id}/upcoming{qs}"),
                None,
                None,
            )
            .await?;
        dto.into_upcoming()
    }

    async fn run_schedules(&self) -> Result<usize, Error> {
        Err(Error::Conflict(Refusal::ServerBooksSchedules))
    }

    async fn import_rates(&self, csv: &str) -> Result<RatesImported, Error> {
        let req = self
            .http
            .post(format!("{}/v1/rates/import", self.base))
            .bearer_auth(&self.token)
            .header("Content-Type", "text/csv")
            .body(csv.to_string());
        call(&self.base, req).await.map(|(v, _)| v)
    }

    async fn find_account(&self, id_or_name: &str) -> Result<Account, Error> {
        let profile = self.profile().await?;
        let wanted = id_or_name.trim();
        let by_id = AccountId::parse("account", wanted).ok();
        profile
            .accounts
            .into_iter()
            .find(|a| Some(a.id) == by_id || a.name == wanted)
            .ok_or(Error::NotFound)
    }

    async fn movements(
        &self,
        account: &Account,
        query: &MovementQueryInput,
    ) -> Result<MovementPage, Error> {
        let path = format!("/v1/accounts/{}/movements", account.id);
        let dto: PageDto = self.get_query(&path, query).await?;
        dto.into_page(std::slice::from_ref(account))
    }

    async fn create_account(&self, input: &AccountInput) -> Result<Account, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let dto: AccountDto = self
            .send(Method::POST, "/v1/accounts", Some(&body), None)
            .await?;
        let owner = self.get_profile().await?.user.into_user()?.id;
        dto.into_account(owner)
    }

    async fn update_account(
        &self,
        account: &Account,
        patch: &AccountPatch,
    ) -> Result<Account, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/accounts/{}", account.id);
        let dto: AccountDto = self.send(Method::PATCH, &path, Some(&body), None).await?;
        dto.into_account(account.owner_id)
    }

    async fn transfer(&self, input: &TransferInput) -> Result<Transfer, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let (from, to) = input.accounts()?;
        let profile = self.profile().await?;
        let currency_of = |id: AccountId| {
            profile
                .accounts
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.currency)
                .ok_or(Error::NotFound)
        };
        let (from_currency, to_currency) = (currency_of(from)?, currency_of(to)?);
        let dto: TransferDto = self
            .send(Method::POST, "/v1/transfers", Some(&body), None)
            .await?;
        dto.into_transfer(from_currency, to_currency)
    }

    async fn movement(&self, account: &Account, id: MovementId) -> Result<Movement, Error> {
        let path = format!("/v1/accounts/{}/movements/{id}", account.id);
        let dto: MovementDto = self.send(Method::GET, &path, None, None).await?;
        dto.into_movement(account.currency)
    }

    async fn edit_movement(
        &self,
        movement: &Movement,
        patch: &MovementPatch,
    ) -> Result<Movement, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!(
            "/v1/accounts/{}/movements/{}",
            movement.account_id, movement.id
        );
        let tag = movement.etag();
        let dto: MovementDto = self
            .send_with(Method::PATCH, &path, Some(&body), &[("If-Match", &tag)])
            .await?;
        dto.into_movement(movement.amount.currency())
    }

    async fn delete_movement(&self, movement: &Movement) -> Result<(), Error> {
        let path = format!(
            "/v1/accounts/{}/movements/{}",
            movement.account_id, movement.id
        );
        let tag = movement.etag();
        self.send_with(Method::DELETE, &path, None, &[("If-Match", &tag)])
            .await
    }

    async fn delete_account(&self, account: &Account) -> Result<(), Error> {
        let path = format!("/v1/accounts/{}", account.id);
        self.send(Method::DELETE, &path, None, None).await
    }

    async fn add_movement(
        &self,
        account: &Account,
        input: &MovementInput,
    ) -> Result<Movement, Error> {
        self.post_movement(account, input, None).await
    }

    /// One request: the server imports every row or none.
    async fn import_file(
        &self,
        account: &Account,
        format: Format,
        file: &str,
    ) -> Result<Imported, Error> {
        let req = self
            .http
            .post(format!("{}/v1/accounts/{}/imports", self.base, account.id))
            .bearer_auth(&self.token)
            .header("Content-Type", format.content_type())
            .body(file.to_string());
        call(&self.base, req).await.map(|(v, _)| v)
    }

    fn location(&self) -> String {
        self.base.clone()
    }
}
