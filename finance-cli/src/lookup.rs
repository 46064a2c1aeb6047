//! Finding what a command names (an account by name or id, a movement by id, every
//! movement of an account) and the one line a user sees when something fails: shared by
//! every command group.

use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::{Account, Movement, MovementId, MovementQueryInput, Refusal};

/// A file a command reads whole (a bank file, rates, a journal).
pub(crate) fn read_file(file: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))
}

pub(crate) async fn find(f: &dyn Finance, account: &str) -> Result<Account, String> {
    f.find_account(account).await.map_err(|e| match e {
        Error::NotFound => {
            format!("no account named or with id {account:?} (see `finance accounts`)")
        }
        other => describe(other, f),
    })
}

pub(crate) async fn find_movement(
    f: &dyn Finance,
    id: &str,
) -> Result<(Account, Movement), String> {
    let parsed = MovementId::parse("id", id)
        .map_err(|e| format!("{id:?} is not a movement id: {}", e.errors[0].message))?;
    f.find_movement(parsed).await.map_err(|e| match e {
        Error::NotFound => format!("no movement with id {id} (see `finance movements ACCOUNT`)"),
        other => describe(other, f),
    })
}

pub(crate) async fn all_movements(
    f: &dyn Finance,
    a: &Account,
    mut query: MovementQueryInput,
) -> Result<Vec<Movement>, String> {
    let mut items = Vec::new();
    loop {
        let page = f.movements(a, &query).await.map_err(|e| describe(e, f))?;
        items.extend(page.items);
        match page.next_cursor {
            Some(c) => query.cursor = Some(c.encode()),
            None => return Ok(items),
        }
    }
}

/// The one line a user sees for a failure.
pub(crate) fn describe(e: Error, f: &dyn Finance) -> String {
    match e {
        // ValidationError's own Display: `line N: field: message; …`.
        Error::Invalid(v) => format!("invalid input: {v}"),
        Error::NotFound => "not found".into(),
        Error::Forbidden => {
            "your role on this account does not allow this (see `finance members ACCOUNT`)".into()
        }
        Error::Conflict(Refusal::ServerBooksSchedules) => format!(
            "{} books its schedules itself (at start and hourly); `finance schedules run` is for the local database",
            f.location()
        ),
        Error::Conflict(why) => why.to_string(),
        Error::PreconditionFailed => "it changed meanwhile; look at it again and retry".into(),
        Error::CursorExpired => {
            "the cursor is too old; read the changes again without --since".into()
        }
        Error::InvalidCode => {
            "the code is wrong, expired or already used; ask for a new one".into()
        }
        Error::InvalidToken(_) => format!(
            "{} refused the stored token (expired or signed out): run `finance login EMAIL --server {}`",
            f.location(),
            f.location()
        ),
        Error::RateLimited(wait) => format!(
            "too many requests; try again in {} seconds",
            wait.whole_seconds().max(1)
        ),
        Error::Unavailable(cause) => cause.chain(),
        e => e.chain(),
    }
}
