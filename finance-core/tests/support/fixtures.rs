//! Records the store suites start from.

#![allow(dead_code)]

use finance_core::domain::*;
use time::OffsetDateTime;
use time::macros::datetime;

use super::Store;

pub const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

pub fn eur() -> Currency {
    Currency::parse("EUR").expect("EUR")
}

pub async fn user(s: &impl Store, email: &str) -> User {
    let email = Email::parse(email).expect("email");
    let user = s
        .get_or_create_user(UserId::random(), &email, NOW)
        .await
        .expect("user");
    EMAILS
        .lock()
        .expect("emails")
        .insert(user.id, user.email.clone());
    user
}

pub async fn account(s: &impl Store, owner: UserId, name: &str, currency: Currency) -> Account {
    let a = Account {
        reconciled_on: None,
        id: AccountId::random(),
        owner_id: owner,
        // The store reads no emails of owners (the use cases fill them in).
        owner_email: None,
        role: finance_core::domain::Role::Owner,
        name: name.into(),
        currency,
        balance: Money::zero(currency),
        archived: false,
        created_at: NOW,
    };
    s.create_account(&a).await.expect("account");
    a
}

pub fn movement(account: &Account, minor: i64, on: time::Date) -> Movement {
    Movement {
        reconciled: false,
        id: MovementId::random(),
        account_id: account.id,
        amount: Money::from_minor(minor, account.currency),
        description: format!("movement of {minor}"),
        category: Some("test".into()),
        occurred_on: on,
        transfer_id: None,
        schedule_id: None,
        created_at: NOW,
        updated_at: NOW,
        created_by: author(account.owner_id),
        updated_by: author(account.owner_id),
        splits: None,
        tags: Vec::new(),
        rule_id: None,
    }
}

/// The account owner as a movement's author, as the store reads it back: fixtures'
/// users are `<name>@example.com`, so the email is looked up by [`user`]'s record.
pub fn author(id: UserId) -> UserRef {
    UserRef {
        id,
        email: EMAILS.lock().expect("emails").get(&id).cloned(),
    }
}

static EMAILS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<UserId, Email>>> =
    std::sync::LazyLock::new(Default::default);

/// Bank-file rows of `movements`, each keyed by its movement's id (so none is a duplicate).
pub fn keyed(movements: &[Movement]) -> Vec<ImportRow> {
    movements
        .iter()
        .map(|m| ImportRow {
            key: m.id.to_string(),
            movement: m.clone(),
        })
        .collect()
}

pub async fn balance(s: &impl Store, a: &Account) -> i64 {
    s.get_account(a.owner_id, a.id)
        .await
        .expect("read")
        .expect("exists")
        .balance
        .minor()
}

pub async fn all_movements(s: &impl Store, a: &Account) -> Vec<Movement> {
    let q = MovementQuery {
        limit: MAX_LIMIT,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = s
            .list_movements(
                std::slice::from_ref(a),
                &MovementQuery {
                    cursor,
                    ..q.clone()
                },
            )
            .await
            .expect("page");
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}
