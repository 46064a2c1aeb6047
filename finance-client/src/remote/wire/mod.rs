//! The API's wire forms as this client reads them, and their conversion into domain types
//! (amounts parsed in their account's currency).

use serde::Deserialize;
use time::OffsetDateTime;

use finance_core::domain::*;
use finance_core::error::Error;
use finance_core::ports::Cause;

mod reports;
pub(super) use reports::*;

#[derive(Deserialize)]
pub(super) struct UserDto {
    pub(super) id: String,
    pub(super) email: String,
    #[serde(with = "time::serde::rfc3339")]
    pub(super) created_at: OffsetDateTime,
    /// Absent from servers older than the field.
    #[serde(default)]
    pub(super) base_currency: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct AccountDto {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) currency: String,
    pub(super) balance: String,
    /// Absent from servers older than the field.
    #[serde(default)]
    pub(super) archived: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub(super) created_at: OffsetDateTime,
}

#[derive(Deserialize)]
pub(super) struct TotalDto {
    pub(super) currency: String,
    pub(super) balance: String,
}

#[derive(Deserialize)]
pub(super) struct ProfileDto {
    pub(super) user: UserDto,
    pub(super) accounts: Vec<AccountDto>,
    pub(super) totals: Vec<TotalDto>,
    #[serde(default)]
    pub(super) net_worth: Option<NetWorthDto>,
}

#[derive(Deserialize)]
pub(super) struct NetWorthDto {
    pub(super) currency: String,
    pub(super) amount: String,
    pub(super) as_of: String,
    pub(super) missing: Vec<String>,
}

impl NetWorthDto {
    pub(super) fn into_net_worth(self) -> Result<NetWorth, Error> {
        let currency = currency_of(&self.currency)?;
        Ok(NetWorth {
            currency,
            amount: MoneySum::parse(&self.amount, currency)
                .map_err(|e| bad_answer("net worth", e))?,
            as_of: parse_date("as_of", &self.as_of).map_err(|e| bad_answer("date", e))?,
            missing: self
                .missing
                .iter()
                .map(|c| currency_of(c))
                .collect::<Result<_, _>>()?,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct RateDto {
    pub(super) base: String,
    pub(super) quote: String,
    pub(super) date: String,
    pub(super) rate: String,
}

impl RateDto {
    pub(super) fn into_rate(self) -> Result<ExchangeRate, Error> {
        Ok(ExchangeRate {
            base: currency_of(&self.base)?,
            quote: currency_of(&self.quote)?,
            date: parse_date("date", &self.date).map_err(|e| bad_answer("date", e))?,
            rate: Rate::parse(&self.rate).map_err(|e| bad_answer("rate", e))?,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct RatePageDto {
    pub(super) items: Vec<RateDto>,
    pub(super) next_cursor: Option<String>,
}

impl RatePageDto {
    pub(super) fn into_page(self) -> Result<RatePage, Error> {
        Ok(RatePage {
            items: self
                .items
                .into_iter()
                .map(RateDto::into_rate)
                .collect::<Result<_, _>>()?,
            next_cursor: self
                .next_cursor
                .map(|c| RateCursor::decode(&c))
                .transpose()
                .map_err(|e| bad_answer("cursor", e))?,
        })
    }
}

/// A currency code the server sent.
pub(super) fn currency_of(code: &str) -> Result<Currency, Error> {
    Currency::parse(code).map_err(|e| bad_answer("currency", e))
}

#[derive(Deserialize)]
pub(super) struct MovementDto {
    pub(super) id: String,
    pub(super) account_id: String,
    pub(super) amount: String,
    pub(super) description: String,
    pub(super) category: Option<String>,
    pub(super) occurred_on: String,
    /// Absent from servers older than the field.
    #[serde(default)]
    pub(super) transfer_id: Option<String>,
    /// Absent from servers older than the field.
    #[serde(default)]
    pub(super) schedule_id: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub(super) created_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub(super) updated_at: Option<OffsetDateTime>,
}

#[derive(Deserialize)]
pub(super) struct TransferDto {
    pub(super) id: String,
    pub(super) from: MovementDto,
    pub(super) to: MovementDto,
    #[serde(default)]
    pub(super) rate: Option<String>,
}

impl TransferDto {
    pub(super) fn into_transfer(self, from: Currency, to: Currency) -> Result<Transfer, Error> {
        Ok(Transfer {
            id: TransferId::parse("id", &self.id).map_err(|e| bad_answer("transfer id", e))?,
            from: self.from.into_movement(from)?,
            to: self.to.into_movement(to)?,
            rate: self.rate,
        })
    }
}

#[derive(Deserialize)]
pub(super) struct PageDto {
    pub(super) items: Vec<MovementDto>,
    pub(super) next_cursor: Option<String>,
}

impl PageDto {
    /// The page, each movement's amount in the currency of its account among `accounts`.
    pub(super) fn into_page(self, accounts: &[Account]) -> Result<MovementPage, Error> {
        let items = self
            .items
            .into_iter()
            .map(|m| {
                let currency = accounts
                    .iter()
                    .find(|a| a.id.to_string() == m.account_id)
                    .map(|a| a.currency)
                    .ok_or_else(|| bad_answer("account", "a movement of an unknown account"))?;
                m.into_movement(currency)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let next_cursor = self
            .next_cursor
            .map(|c| Cursor::decode(&c))
            .transpose()
            .map_err(|e| bad_answer("cursor", e))?;
        Ok(MovementPage { items, next_cursor })
    }
}

#[derive(Deserialize)]
pub(super) struct TokenDto {
    pub(super) token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub(super) expires_at: OffsetDateTime,
    pub(super) user: UserDto,
}

#[derive(Deserialize, Default)]
pub(super) struct ProblemDto {
    /// The problem type: which rule refused a 409.
    #[serde(default, rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) detail: String,
    #[serde(default)]
    pub(super) errors: Vec<FieldError>,
}

/// The server answered something this client does not understand.
pub(super) fn bad_answer(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(Cause::from(format!(
        "unexpected answer from the server ({what}): {e}"
    )))
}

impl UserDto {
    pub(super) fn into_user(self) -> Result<User, Error> {
        Ok(User {
            id: UserId::parse("id", &self.id).map_err(|e| bad_answer("user id", e))?,
            email: Email::parse(&self.email).map_err(|e| bad_answer("email", e))?,
            created_at: self.created_at,
            base_currency: self.base_currency.as_deref().map(currency_of).transpose()?,
        })
    }
}

impl AccountDto {
    pub(super) fn into_account(self, owner: UserId) -> Result<Account, Error> {
        let currency = Currency::parse(&self.currency).map_err(|e| bad_answer("currency", e))?;
        Ok(Account {
            id: AccountId::parse("id", &self.id).map_err(|e| bad_answer("account id", e))?,
            owner_id: owner,
            name: self.name,
            currency,
            balance: Money::parse(&self.balance, currency).map_err(|e| bad_answer("balance", e))?,
            archived: self.archived,
            created_at: self.created_at,
        })
    }
}

impl MovementDto {
    pub(super) fn into_movement(self, currency: Currency) -> Result<Movement, Error> {
        Ok(Movement {
            id: MovementId::parse("id", &self.id).map_err(|e| bad_answer("movement id", e))?,
            account_id: AccountId::parse("account_id", &self.account_id)
                .map_err(|e| bad_answer("account id", e))?,
            amount: Money::parse(&self.amount, currency).map_err(|e| bad_answer("amount", e))?,
            description: self.description,
            category: self.category,
            occurred_on: parse_date("occurred_on", &self.occurred_on)
                .map_err(|e| bad_answer("date", e))?,
            transfer_id: self
                .transfer_id
                .map(|t| TransferId::parse("transfer_id", &t))
                .transpose()
                .map_err(|e| bad_answer("transfer id", e))?,
            schedule_id: self
                .schedule_id
                .map(|t| ScheduleId::parse("schedule_id", &t))
                .transpose()
                .map_err(|e| bad_answer("schedule id", e))?,
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
        })
    }
}

/// A sum in `currency`, as the server wrote it.
fn sum_of(text: &str, currency: Currency) -> Result<MoneySum, Error> {
    MoneySum::parse(text, currency).map_err(|e| bad_answer("amount", e))
}

fn date_of(text: &str) -> Result<time::Date, Error> {
    parse_date("date", text).map_err(|e| bad_answer("date", e))
}

#[derive(Deserialize)]
pub(super) struct ScheduleDto {
    id: String,
    account: String,
    amount: String,
    description: String,
    category: Option<String>,
    start: String,
    end: Option<String>,
    every: Every,
    interval: u32,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
}

impl ScheduleDto {
    /// The schedule, its amount in `currency` (its account's).
    pub(super) fn into_schedule(
        self,
        owner: UserId,
        currency: Currency,
    ) -> Result<Schedule, Error> {
        Ok(Schedule {
            id: ScheduleId::parse("id", &self.id).map_err(|e| bad_answer("schedule id", e))?,
            owner_id: owner,
            account: AccountId::parse("account", &self.account)
                .map_err(|e| bad_answer("account", e))?,
            amount: Money::parse(&self.amount, currency).map_err(|e| bad_answer("amount", e))?,
            description: self.description,
            category: self.category,
            start: date_of(&self.start)?,
            end: self.end.as_deref().map(date_of).transpose()?,
            every: self.every,
            interval: self.interval,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }

    pub(super) fn account(&self) -> &str {
        &self.account
    }
}

#[derive(Deserialize)]
pub(super) struct ScheduleListDto {
    pub(super) items: Vec<ScheduleDto>,
}

#[derive(Deserialize)]
pub(super) struct UpcomingDto {
    dates: Vec<String>,
}

impl UpcomingDto {
    pub(super) fn into_upcoming(self) -> Result<Upcoming, Error> {
        Ok(Upcoming {
            dates: self
                .dates
                .iter()
                .map(|d| date_of(d))
                .collect::<Result<_, _>>()?,
        })
    }
}
