//! `finance changes`: the change feed, one JSON line per change.

use std::time::Duration;

use finance_client::Finance;
use finance_core::domain::ChangesQueryInput;

use crate::lookup::describe;
use crate::output::Out;

/// How long `--follow` waits before asking again when the feed has nothing new.
const POLL: Duration = Duration::from_secs(2);

/// Prints every change after `since` (without it, the current state first) as a JSON line
/// on stdout, then the cursor to keep on stderr (`next: …`); with `follow`, goes on asking
/// every two seconds until interrupted.
pub async fn run(
    f: &dyn Finance,
    since: Option<String>,
    limit: String,
    follow: bool,
    out: &Out,
) -> Result<(), String> {
    let mut since = since;
    loop {
        let query = ChangesQueryInput {
            since: since.clone(),
            limit: Some(limit.clone()),
        };
        let page = f.changes(&query).await.map_err(|e| describe(e, f))?;
        for item in &page.items {
            out.line(&serde_json::to_string(item).map_err(|e| e.to_string())?);
        }
        since = Some(page.next.clone());
        if page.has_more {
            continue;
        }
        if !follow {
            eprintln!("next: {}", page.next);
            return Ok(());
        }
        tokio::time::sleep(POLL).await;
    }
}
