//! Converting balances between currencies: exact factors, the rule that picks a rate,
//! and the net worth in one currency.
//!
//! A factor is a fraction of integers. It is only ever rounded when an amount is
//! converted with it, once, half to even, to the target currency's minor unit; a factor
//! built through an inverse or a pivot stays exact until then.

use std::collections::{BTreeSet, HashMap};

use ethnum::U256;
use time::Date;

use super::currency::Currency;
use super::entities::{Account, serialize_date};
use super::money::{Money, MoneySum};
use super::rate::{ImpliedRate, Rate, RateFacts};

/// 1 unit of one currency is worth `num / den` units of another (major units: euros, not
/// cents). 256-bit, so that composing two factors and applying them to any `i64` amount
/// cannot overflow: a factor's parts stay below 10^48, an amount with its exponent below
/// 10^23, and 10^71 is far below 2^256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Factor {
    num: U256,
    den: U256,
}

fn pow10(exp: u32) -> U256 {
    U256::from(10u8).pow(exp)
}

impl Factor {
    /// The factor between a currency and itself.
    pub fn one() -> Self {
        Self {
            num: U256::ONE,
            den: U256::ONE,
        }
    }

    /// An explicit rate: `mantissa / 10^scale`.
    pub fn of_rate(rate: Rate) -> Self {
        Self {
            num: U256::from(rate.mantissa()),
            den: pow10(u32::from(rate.scale())),
        }
    }

    /// The rate a transfer implies, from the paid currency to the received one:
    /// (got / 10^e_got) / (paid / 10^e_paid). `None` if either side is not positive.
    pub fn of_transfer(t: &ImpliedRate) -> Option<Self> {
        let paid = u64::try_from(t.paid.minor()).ok().filter(|p| *p > 0)?;
        let got = u64::try_from(t.got.minor()).ok().filter(|g| *g > 0)?;
        Some(Self {
            num: U256::from(got) * pow10(u32::from(t.paid.currency().exponent())),
            den: U256::from(paid) * pow10(u32::from(t.got.currency().exponent())),
        })
    }

    /// The factor of the opposite direction.
    pub fn inverse(self) -> Self {
        Self {
            num: self.den,
            den: self.num,
        }
    }

    /// This factor followed by `next` (A→B then B→C gives A→C).
    pub fn then(self, next: Factor) -> Option<Self> {
        Some(Self {
            num: self.num.checked_mul(next.num)?,
            den: self.den.checked_mul(next.den)?,
        })
    }

    /// `amount` in minor units of `to`, rounded once, half to even. `None` only if the
    /// result is beyond what a sum can hold (no real rate comes near).
    pub fn convert(&self, amount: Money, to: Currency) -> Option<i128> {
        self.convert_minor(i128::from(amount.minor()), amount.currency(), to)
    }

    /// `minor` units of `from` (a sum, which may pass `i64`) in minor units of `to`,
    /// rounded once, half to even.
    pub fn convert_minor(&self, minor: i128, from: Currency, to: Currency) -> Option<i128> {
        if *self == Self::one() && from == to {
            return Some(minor);
        }
        let from_exp = u32::from(from.exponent());
        let to_exp = u32::from(to.exponent());
        let n = U256::from(minor.unsigned_abs())
            .checked_mul(self.num)?
            .checked_mul(pow10(to_exp))?;
        let d = self.den.checked_mul(pow10(from_exp))?;
        if d == U256::ZERO {
            return None;
        }
        // Nearly every real conversion fits 128 bits, where division is a machine routine
        // rather than a long division.
        let (q, r, d) = match (u128::try_from(n), u128::try_from(d)) {
            (Ok(n), Ok(d)) => (U256::from(n / d), U256::from(n % d), U256::from(d)),
            _ => (n / d, n % d, d),
        };
        let twice = r * U256::from(2u8);
        let up = twice > d || (twice == d && q % U256::from(2u8) == U256::ONE);
        let q = i128::try_from(if up { q + U256::ONE } else { q }).ok()?;
        Some(if minor < 0 { -q } else { q })
    }
}

/// The rates one conversion day may use, and the rule that picks one.
#[derive(Debug, Clone, Default)]
pub struct RateBook {
    explicit: HashMap<(Currency, Currency), Rate>,
    implied: HashMap<(Currency, Currency), ImpliedRate>,
    /// Every currency some rate names: the candidate pivots.
    known: BTreeSet<Currency>,
}

/// The pivot tried first: the currency most rates are quoted against (the ECB's base).
const FIRST_PIVOT: &str = "EUR";

impl RateBook {
    /// The book of `facts`, whose implied rates come newest first: the first one of a
    /// pair is the one used.
    pub fn new(facts: RateFacts) -> Self {
        let mut book = Self::default();
        for (base, quote, rate) in facts.explicit {
            book.known.extend([base, quote]);
            book.explicit.insert((base, quote), rate);
        }
        for t in facts.implied {
            let pair = (t.paid.currency(), t.got.currency());
            book.known.extend([pair.0, pair.1]);
            book.implied.entry(pair).or_insert(t);
        }
        book
    }

    /// The factor from `from` to `to` by the contract's rule: the explicit rate, else the
    /// one a transfer implies, else the inverse of either, else through one pivot
    /// currency (EUR first, then the others by code). `None` when there is none: a rate
    /// is never guessed.
    pub fn factor(&self, from: Currency, to: Currency) -> Option<Factor> {
        if from == to {
            return Some(Factor::one());
        }
        if let Some(f) = self.one_step(from, to) {
            return Some(f);
        }
        let first = Currency::parse(FIRST_PIVOT).ok();
        first
            .into_iter()
            .chain(self.known.iter().copied().filter(|c| Some(*c) != first))
            .filter(|p| *p != from && *p != to)
            .find_map(|p| self.one_step(from, p)?.then(self.one_step(p, to)?))
    }

    fn one_step(&self, from: Currency, to: Currency) -> Option<Factor> {
        self.direct(from, to)
            .or_else(|| self.direct(to, from).map(Factor::inverse))
    }

    fn direct(&self, from: Currency, to: Currency) -> Option<Factor> {
        if let Some(rate) = self.explicit.get(&(from, to)) {
            return Some(Factor::of_rate(*rate));
        }
        self.implied.get(&(from, to)).and_then(Factor::of_transfer)
    }
}

/// Everything a user owns in one currency, at the rates of `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "crate::domain::wire::NetWorthIn")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetWorth {
    pub currency: Currency,
    /// The sum of every balance that could be converted; see `missing`.
    pub amount: MoneySum,
    #[serde(serialize_with = "serialize_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub as_of: Date,
    /// Currencies with no usable rate on `as_of`: their balances are not in `amount`.
    /// Always present, empty when everything was converted.
    pub missing: Vec<Currency>,
}

/// Converts each account's balance at `book`'s rates, rounding once per account, and sums
/// them; a currency without a rate is left out and named in `missing`.
pub fn net_worth(
    accounts: &[Account],
    book: &RateBook,
    currency: Currency,
    as_of: Date,
) -> NetWorth {
    let mut amount = MoneySum::zero(currency);
    let mut missing = BTreeSet::new();
    for account in accounts {
        match book
            .factor(account.currency, currency)
            .and_then(|f| f.convert(account.balance, currency))
        {
            Some(minor) => amount = amount.plus_minor(minor),
            None => {
                missing.insert(account.currency);
            }
        }
    }
    NetWorth {
        currency,
        amount,
        as_of,
        missing: missing.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests;
