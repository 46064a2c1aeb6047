//! The service traits that use cases are written against; adapters implement them.

mod auth;
mod books;
mod error;
mod feed;
mod limits;
mod members;
mod operations;
mod repositories;
mod rules;
mod store;
mod webhooks;

pub use auth::*;
pub use books::*;
pub use error::{Cause, StoreError, chain};
pub use feed::*;
pub use limits::*;
pub use members::*;
pub use operations::*;
pub use repositories::*;
pub use rules::*;
pub use store::DatabaseStore;
pub use webhooks::*;
