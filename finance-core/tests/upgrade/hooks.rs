//! Webhooks on upgraded books: a user of the previous schema adds one, and a new movement
//! on an old account is in its outbox, in the movement's transaction.

use finance_core::domain::{MovementId, NewWebhook, UserId, WebhookId, WebhookInput};
use finance_core::ports::DatabaseStore;
use time::OffsetDateTime;

pub async fn listen(s: &impl DatabaseStore, user: UserId, now: OffsetDateTime) {
    let hook = NewWebhook::parse(&WebhookInput {
        url: "https://example.com/hook".into(),
        events: vec!["movement.created".into()],
    })
    .expect("webhook");
    s.create_webhook(user, WebhookId::random(), &hook, b"sealed", now)
        .await
        .expect("webhook added");
}

pub async fn heard(s: &impl DatabaseStore, movement: MovementId, now: OffsetDateTime) {
    let due = s
        .claim_deliveries(
            now + time::Duration::hours(1),
            time::Duration::seconds(30),
            10,
        )
        .await
        .expect("claimed");
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].kind, "movement.created");
    let data: serde_json::Value = serde_json::from_str(&due[0].data).expect("json");
    assert_eq!(data["id"], movement.to_string());
    assert_eq!(due[0].sealed_secret, b"sealed");
}
