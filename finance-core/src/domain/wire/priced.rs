//! The forms of the types whose amounts are in a currency the same object names: read
//! with their amounts as text, then priced in that currency.

use serde::Deserialize;
use time::Date;

use super::super::fields::deserialize_date;
use super::super::{
    Budget, BudgetStatus, CategoryTotal, Currency, DayBalance, Flow, NetWorth, NetWorthPoint,
    NetWorthReport, Reconciliation, Step, Total,
};
use super::{money, sum};

#[derive(Deserialize)]
pub(crate) struct TotalIn {
    currency: Currency,
    balance: String,
}

impl TryFrom<TotalIn> for Total {
    type Error = String;

    fn try_from(t: TotalIn) -> Result<Self, String> {
        Ok(Total {
            balance: sum(&t.balance, t.currency)?,
            currency: t.currency,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct NetWorthIn {
    currency: Currency,
    amount: String,
    #[serde(deserialize_with = "deserialize_date")]
    as_of: Date,
    missing: Vec<Currency>,
}

impl TryFrom<NetWorthIn> for NetWorth {
    type Error = String;

    fn try_from(n: NetWorthIn) -> Result<Self, String> {
        Ok(NetWorth {
            amount: sum(&n.amount, n.currency)?,
            currency: n.currency,
            as_of: n.as_of,
            missing: n.missing,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct FlowIn {
    currency: Currency,
    income: String,
    expense: String,
    net: String,
}

impl TryFrom<FlowIn> for Flow {
    type Error = String;

    fn try_from(f: FlowIn) -> Result<Self, String> {
        let c = f.currency;
        Ok(Flow {
            currency: c,
            income: sum(&f.income, c)?,
            expense: sum(&f.expense, c)?,
            net: sum(&f.net, c)?,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct CategoryTotalIn {
    currency: Currency,
    amount: String,
}

impl TryFrom<CategoryTotalIn> for CategoryTotal {
    type Error = String;

    fn try_from(t: CategoryTotalIn) -> Result<Self, String> {
        Ok(CategoryTotal {
            amount: sum(&t.amount, t.currency)?,
            currency: t.currency,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct BudgetIn {
    category: String,
    currency: Currency,
    amount: String,
}

impl TryFrom<BudgetIn> for Budget {
    type Error = String;

    fn try_from(b: BudgetIn) -> Result<Self, String> {
        Ok(Budget {
            amount: money(&b.amount, b.currency)?,
            category: b.category,
            currency: b.currency,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct BudgetStatusIn {
    category: String,
    currency: Currency,
    amount: String,
    spent: String,
    remaining: String,
}

impl TryFrom<BudgetStatusIn> for BudgetStatus {
    type Error = String;

    fn try_from(b: BudgetStatusIn) -> Result<Self, String> {
        let c = b.currency;
        Ok(BudgetStatus {
            amount: money(&b.amount, c)?,
            spent: sum(&b.spent, c)?,
            remaining: sum(&b.remaining, c)?,
            category: b.category,
            currency: c,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct NetWorthReportIn {
    currency: Option<Currency>,
    step: Step,
    points: Vec<NetWorthPointIn>,
}

/// A point's amount is in its report's currency.
#[derive(Deserialize)]
struct NetWorthPointIn {
    #[serde(deserialize_with = "deserialize_date")]
    date: Date,
    amount: Option<String>,
    missing: Vec<Currency>,
    totals: Vec<CategoryTotal>,
}

impl TryFrom<NetWorthReportIn> for NetWorthReport {
    type Error = String;

    fn try_from(r: NetWorthReportIn) -> Result<Self, String> {
        let points = r
            .points
            .into_iter()
            .map(|p| {
                let amount = match (p.amount, r.currency) {
                    (Some(a), Some(c)) => Some(sum(&a, c)?),
                    (Some(_), None) => return Err("an amount without a currency".into()),
                    (None, _) => None,
                };
                Ok(NetWorthPoint {
                    date: p.date,
                    amount,
                    missing: p.missing,
                    totals: p.totals,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(NetWorthReport {
            currency: r.currency,
            step: r.step,
            points,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct ReconciliationIn {
    id: super::super::ReconciliationId,
    #[serde(deserialize_with = "deserialize_date")]
    date: Date,
    balance: String,
    currency: Currency,
    locked: u64,
    #[serde(with = "time::serde::rfc3339")]
    created_at: time::OffsetDateTime,
}

impl TryFrom<ReconciliationIn> for Reconciliation {
    type Error = String;

    /// The account and the author are not on the wire (the reader knows the account).
    fn try_from(r: ReconciliationIn) -> Result<Self, String> {
        Ok(Reconciliation {
            id: r.id,
            account_id: super::super::AccountId(uuid::Uuid::nil()),
            date: r.date,
            balance: money(&r.balance, r.currency)?,
            currency: r.currency,
            locked: r.locked,
            created_at: r.created_at,
            created_by: super::super::UserId(uuid::Uuid::nil()),
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct DayBalanceIn {
    #[serde(deserialize_with = "deserialize_date")]
    date: Date,
    balance: String,
    currency: Currency,
}

impl TryFrom<DayBalanceIn> for DayBalance {
    type Error = String;

    fn try_from(b: DayBalanceIn) -> Result<Self, String> {
        Ok(DayBalance {
            date: b.date,
            balance: money(&b.balance, b.currency)?,
            currency: b.currency,
        })
    }
}
