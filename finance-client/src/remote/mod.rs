//! [`Finance`] over the REST API of a finance server: the CLI's and TUI's remote mode.
//!
//! Answers are read straight into the domain types the server wrote them from (see
//! `finance_core::domain`'s `wire` module), and problem answers into the same [`Error`]s
//! the local mode gives, so a frontend cannot tell the two apart except by
//! [`Finance::location`].

use async_trait::async_trait;
use reqwest::Method;

use finance_core::domain::*;
use finance_core::error::Error;
use finance_core::ports::Cause;

use crate::Finance;

mod auth;
mod books;
mod http;
mod rules;

use http::{call, client, segment};

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

    /// The signed-in user's id: schedules are answered without their maker.
    async fn me(&self) -> Result<UserId, Error> {
        Ok(self.profile().await?.user.id)
    }

    async fn post_movement(
        &self,
        account: &Account,
        input: &MovementInput,
        key: Option<&str>,
    ) -> Result<Movement, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        self.send(
            Method::POST,
            &format!("/v1/accounts/{}/movements", account.id),
            Some(&body),
            key,
        )
        .await
    }
}

#[async_trait]
impl Finance for RemoteFinance {
    async fn profile_in(&self, query: &ProfileQueryInput) -> Result<Profile, Error> {
        self.get_query("/v1/me", query).await
    }

    async fn update_profile(&self, patch: &ProfilePatch) -> Result<Profile, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        self.send(Method::PATCH, "/v1/me", Some(&body), None).await
    }

    async fn delete_me(&self) -> Result<(), Error> {
        self.send(Method::DELETE, "/v1/me", None, None).await
    }

    async fn set_rate(
        &self,
        base: &str,
        quote: &str,
        date: &str,
        rate: &str,
    ) -> Result<ExchangeRate, Error> {
        let body = serde_json::to_value(RateInput {
            rate: rate.to_string(),
        })
        .map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!(
            "/v1/rates/{}/{}/{}",
            segment(base),
            segment(quote),
            segment(date)
        );
        self.send(Method::PUT, &path, Some(&body), None).await
    }

    async fn rates(&self, query: &RateQueryInput) -> Result<RatePage, Error> {
        self.get_query("/v1/rates", query).await
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
        self.get_query("/v1/movements", query).await
    }

    async fn categories(&self) -> Result<CategoryList, Error> {
        self.send(Method::GET, "/v1/categories", None, None).await
    }

    async fn cash_flow(&self, query: &CashFlowQueryInput) -> Result<CashFlowReport, Error> {
        self.get_query("/v1/reports/cash-flow", query).await
    }

    async fn net_worth_report(&self, query: &ReportQueryInput) -> Result<NetWorthReport, Error> {
        self.get_query("/v1/reports/net-worth", query).await
    }

    async fn set_budget(&self, category: &str, input: &BudgetInput) -> Result<Budget, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/budgets/{}", segment(category));
        self.send(Method::PUT, &path, Some(&body), None).await
    }

    async fn delete_budget(&self, category: &str) -> Result<(), Error> {
        let path = format!("/v1/budgets/{}", segment(category));
        self.send(Method::DELETE, &path, None, None).await
    }

    async fn budgets(&self, query: &BudgetQueryInput) -> Result<BudgetList, Error> {
        self.get_query("/v1/budgets", query).await
    }

    async fn create_schedule(&self, input: &ScheduleInput) -> Result<Schedule, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let schedule: Schedule = self
            .send(Method::POST, "/v1/schedules", Some(&body), None)
            .await?;
        Ok(Schedule {
            owner_id: self.me().await?,
            ..schedule
        })
    }

    async fn schedules(&self) -> Result<ScheduleList, Error> {
        let mut list: ScheduleList = self.send(Method::GET, "/v1/schedules", None, None).await?;
        let me = self.me().await?;
        for s in &mut list.items {
            s.owner_id = me;
        }
        Ok(list)
    }

    async fn edit_schedule(
        &self,
        id: ScheduleId,
        patch: &SchedulePatch,
    ) -> Result<Schedule, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        let schedule: Schedule = self
            .send(
                Method::PATCH,
                &format!("/v1/schedules/{id}"),
                Some(&body),
                None,
            )
            .await?;
        Ok(Schedule {
            owner_id: self.me().await?,
            ..schedule
        })
    }

    async fn delete_schedule(&self, id: ScheduleId) -> Result<(), Error> {
        self.send(Method::DELETE, &format!("/v1/schedules/{id}"), None, None)
            .await
    }

    async fn upcoming(&self, id: ScheduleId, count: Option<u32>) -> Result<Upcoming, Error> {
        let qs = count.map(|c| format!("?count={c}")).unwrap_or_default();
        self.send(
            Method::GET,
            &format!("/v1/schedules/{id}/upcoming{qs}"),
            None,
            None,
        )
        .await
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
        self.get_query(&path, query).await
    }

    async fn create_account(&self, input: &AccountInput) -> Result<Account, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        self.send(Method::POST, "/v1/accounts", Some(&body), None)
            .await
    }

    async fn update_account(
        &self,
        account: &Account,
        patch: &AccountPatch,
    ) -> Result<Account, Error> {
        let body = serde_json::to_value(patch).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/accounts/{}", account.id);
        self.send(Method::PATCH, &path, Some(&body), None).await
    }

    async fn transfer(&self, input: &TransferInput) -> Result<Transfer, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        self.send(Method::POST, "/v1/transfers", Some(&body), None)
            .await
    }

    async fn movement(&self, account: &Account, id: MovementId) -> Result<Movement, Error> {
        let path = format!("/v1/accounts/{}/movements/{id}", account.id);
        self.send(Method::GET, &path, None, None).await
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
        self.send_with(Method::PATCH, &path, Some(&body), &[("If-Match", &tag)])
            .await
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

    async fn invite(&self, account: &Account, input: &MemberInput) -> Result<Member, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/accounts/{}/members", account.id);
        self.send(Method::POST, &path, Some(&body), None).await
    }

    async fn members(&self, account: &Account) -> Result<MemberList, Error> {
        let path = format!("/v1/accounts/{}/members", account.id);
        self.send(Method::GET, &path, None, None).await
    }

    async fn change_member(
        &self,
        account: &Account,
        member: UserId,
        input: &RoleInput,
    ) -> Result<Member, Error> {
        let body = serde_json::to_value(input).map_err(|e| Error::Internal(Cause::of(e)))?;
        let path = format!("/v1/accounts/{}/members/{member}", account.id);
        self.send(Method::PATCH, &path, Some(&body), None).await
    }

    async fn remove_member(&self, account: &Account, member: UserId) -> Result<(), Error> {
        let path = format!("/v1/accounts/{}/members/{member}", account.id);
        self.send(Method::DELETE, &path, None, None).await
    }

    async fn invitations(&self) -> Result<InvitationList, Error> {
        self.send(Method::GET, "/v1/invitations", None, None).await
    }

    async fn answer_invitation(
        &self,
        id: InvitationId,
        accept: bool,
    ) -> Result<Option<Account>, Error> {
        if accept {
            let path = format!("/v1/invitations/{id}/accept");
            self.send(Method::POST, &path, None, None).await.map(Some)
        } else {
            let path = format!("/v1/invitations/{id}/decline");
            let (): () = self.send(Method::POST, &path, None, None).await?;
            Ok(None)
        }
    }

    fn location(&self) -> String {
        self.base.clone()
    }
}
