//! The commands about webhooks: add one, list them, see one's deliveries, delete one.

use finance_client::Finance;
use finance_core::Error;
use finance_core::domain::{WebhookId, WebhookInput};

use crate::cli::{Command, WebhookCommand};
use crate::lookup::describe;
use crate::output::Out;

/// Runs `webhooks` and `webhook …`.
pub async fn run(f: &dyn Finance, command: Command, out: &Out) -> Result<(), String> {
    let fail = |e: Error| describe(e, f);
    match command {
        Command::Webhooks => {
            let list = f.webhooks().await.map_err(fail)?;
            if out.json() {
                out.value(&list)
            } else {
                out.webhooks(&list.items)
            }
        }
        Command::Webhook(WebhookCommand::Add { url, events }) => {
            let made = f
                .create_webhook(&WebhookInput { url, events })
                .await
                .map_err(fail)?;
            if out.json() {
                out.value(&made)
            } else {
                out.line(&format!(
                    "Added webhook {} for {}.\nSecret (shown this once; it signs every delivery):\n{}",
                    made.webhook.id,
                    made.webhook.events.join(", "),
                    made.secret
                ))
            }
        }
        Command::Webhook(WebhookCommand::Deliveries { id }) => {
            let list = f.webhook_deliveries(webhook_id(&id)?).await.map_err(fail)?;
            if out.json() {
                out.value(&list)
            } else {
                out.deliveries(&list.items)
            }
        }
        Command::Webhook(WebhookCommand::Delete { id }) => {
            f.delete_webhook(webhook_id(&id)?).await.map_err(fail)?;
            if !out.json() {
                out.line(&format!("Deleted webhook {id}."))
            }
        }
        _ => {}
    }
    Ok(())
}

fn webhook_id(raw: &str) -> Result<WebhookId, String> {
    WebhookId::parse("id", raw.trim())
        .map_err(|_| format!("{raw:?} is not a webhook id (see: finance webhooks)"))
}
