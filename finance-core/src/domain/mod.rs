//! Types and rules of the service, with no I/O: once a value of these types exists, it is
//! valid, so later layers never check it again.

mod conversion;
mod currency;
mod ecb;
mod email;
mod entities;
mod error;
mod money;
mod page;
mod profile;
mod rate;
#[cfg(feature = "openapi")]
mod schemas;
mod transfer;

pub use conversion::{Factor, NetWorth, RateBook, net_worth};
pub use currency::Currency;
pub use ecb::{EcbRates, parse_ecb_csv};
pub use email::Email;
pub use entities::*;
pub use error::{FieldError, ValidationError, Validator};
pub use money::{Money, MoneyError, MoneySum};
pub use page::{Cursor, DEFAULT_LIMIT, MAX_LIMIT, MovementPage, MovementQuery, MovementQueryInput};
pub use profile::{Profile, ProfilePatch, ProfileQuery, ProfileQueryInput, Total, totals};
pub use rate::{
    ExchangeRate, ImpliedRate, Rate, RateAddress, RateCursor, RateFacts, RateInput, RatePage,
    RateQuery, RateQueryInput, RatesImported,
};
pub use transfer::{Transfer, TransferInput, TransferPatch};
