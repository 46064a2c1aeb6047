//! What the CLI and the TUI stand on: the [`Finance`] facade and its two homes.
//!
//! - [`LocalFinance`] runs finance-core's use cases on the configured database, acting as
//!   one local user (the default);
//! - [`RemoteFinance`] talks to a finance server over its REST API, with the token that
//!   `finance login` stored ([`credentials`]);
//! - [`connect`] picks one from the configuration and the command line.
//!
//! Both apply the same rules, since the server runs the same use cases, and both answer
//! with finance-core's [`Error`](finance_core::Error).

mod books;
mod categorising;
pub mod connect;
pub mod credentials;
mod finance;
mod local;
mod local_books;
mod local_rules;
pub mod remote;

pub use books::Books;
pub use categorising::Categorising;
pub use connect::{ConnectError, connect};
pub use finance::Finance;
pub use local::LocalFinance;
pub use remote::RemoteFinance;
