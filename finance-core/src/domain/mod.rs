//! Types and rules of the service, with no I/O: once a value of these types exists, it is
//! valid, so later layers never check it again.

mod currency;
mod email;
mod entities;
mod error;
mod money;
mod page;
mod profile;
#[cfg(feature = "openapi")]
mod schemas;
mod transfer;

pub use currency::Currency;
pub use email::Email;
pub use entities::*;
pub use error::{FieldError, ValidationError, Validator};
pub use money::{Money, MoneyError, MoneySum};
pub use page::{Cursor, DEFAULT_LIMIT, MAX_LIMIT, MovementPage, MovementQuery, MovementQueryInput};
pub use profile::{Profile, Total, totals};
pub use transfer::{Transfer, TransferInput, TransferPatch};
