//! A database written by the previous schema, upgraded by opening it: balances,
//! movements, authors, memberships and tags are kept, and what the migrations since added
//! works on the old rows: they can be shared, split, tagged, changed by a rule's apply,
//! reconciled (then locked), and their later changes are in the history. On both engines.

#[path = "upgrade/books.rs"]
mod books;
#[path = "upgrade/hooks.rs"]
mod hooks;
mod support;

use finance_core::adapters::postgres::PgStore;
use finance_core::adapters::sqlite::SqliteStore;
use finance_core::domain::{
    AccountSummary, Actions, CategorySum, Conditions, Email, INVITATION_TTL, Invitation,
    InvitationId, MovementInput, MovementQuery, MovementQueryInput, NewMovement, Role, Rule,
    RuleId, SplitInput, UserId, UserRef, check_rule,
};
use finance_core::ports::*;
use sqlx::migrate::Migrator;
use time::macros::{date, datetime};
use uuid::Uuid;

/// The first migration this test upgrades over: everything before it is "the previous
/// schema".
const FIRST_NEW: i64 = 20261210000001;

/// `migrator` without the migrations from [`FIRST_NEW`] on.
fn previous(mut migrator: Migrator) -> Migrator {
    let old: Vec<_> = migrator
        .migrations
        .iter()
        .filter(|m| m.version < FIRST_NEW)
        .cloned()
        .collect();
    assert!(old.len() < migrator.migrations.len(), "a migration is new");
    migrator.migrations = old.into();
    migrator
}

const ADA: Uuid = Uuid::from_u128(1);
const BANK: Uuid = Uuid::from_u128(2);
const CASH: Uuid = Uuid::from_u128(3);

/// Rows as the previous schema's server wrote them: a user, two accounts with their
/// balances and memberships, three movements with their author, one of them tagged, and
/// the history entry of one and its row of the change feed.
const OLD_ROWS: [&str; 11] = [
    "INSERT INTO users (id, email, created_at) VALUES ($1, 'ada@example.com', $4)",
    "INSERT INTO accounts (id, owner_id, name, currency, balance, created_at) \
     VALUES ($2, $1, 'Bank', 'EUR', 7000, $4)",
    "INSERT INTO accounts (id, owner_id, name, currency, balance, created_at) \
     VALUES ($3, $1, 'Cash', 'JPY', -300, $4)",
    "INSERT INTO account_members (account_id, user_id, role, joined_at) \
     VALUES ($2, $1, 'owner', $4)",
    "INSERT INTO account_members (account_id, user_id, role, joined_at) \
     VALUES ($3, $1, 'owner', $4)",
    "INSERT INTO movements (id, account_id, amount, description, category, occurred_on, \
     created_at, updated_at, created_by, updated_by) \
     VALUES ($5, $2, 10000, 'pay', NULL, $6, $4, $4, $1, $1)",
    "INSERT INTO movements (id, account_id, amount, description, category, occurred_on, \
     created_at, updated_at, created_by, updated_by) \
     VALUES ($7, $2, -3000, 'rent', 'home', $6, $4, $4, $1, $1)",
    "INSERT INTO movements (id, account_id, amount, description, category, occurred_on, \
     created_at, updated_at, created_by, updated_by, tags) \
     VALUES ($8, $3, -300, 'tea', NULL, $6, $4, $4, $1, $1, 'morning')",
    "INSERT INTO movement_tags (account_id, tag, movement_id) VALUES ($3, 'morning', $8)",
    "INSERT INTO history (account_id, at, by_id, action, entity, entity_id, before, after) \
     VALUES ($2, $4, $1, 'created', 'movement', $5, NULL, '{}')",
    "INSERT INTO changes (account_id, at, entity, entity_id, action) \
     VALUES ($2, $4, 'movement', '00000000-0000-0000-0000-00000000000a', 'upserted')",
];

macro_rules! write_old_rows {
    ($pool:expr) => {
        for sql in OLD_ROWS {
            sqlx::query(sql)
                .bind(ADA)
                .bind(BANK)
                .bind(CASH)
                .bind(datetime!(2026-11-30 09:00 UTC))
                .bind(Uuid::from_u128(10))
                .bind(date!(2026 - 11 - 30))
                .bind(Uuid::from_u128(11))
                .bind(Uuid::from_u128(12))
                .execute($pool)
                .await
                .expect("an old row");
        }
    };
}

/// What the upgraded store answers for the old rows.
async fn check(s: &impl DatabaseStore) {
    let ada = UserId(ADA);
    let accounts = s.list_accounts(ada).await.expect("accounts");
    let balances: Vec<(String, i64)> = accounts
        .iter()
        .map(|a| (a.name.clone(), a.balance.minor()))
        .collect();
    assert_eq!(balances, [("Bank".into(), 7000), ("Cash".into(), -300)]);
    let query = MovementQuery::parse(&MovementQueryInput::default()).expect("query");
    let page = s
        .list_movements(&accounts, &query)
        .await
        .expect("movements");
    assert_eq!(page.items.len(), 3);
    let owner = UserRef {
        id: ada,
        email: Some(Email::parse("ada@example.com").expect("email")),
    };
    for m in &page.items {
        assert_eq!(m.created_by, owner, "{m:?}");
        assert_eq!(m.updated_by, owner, "{m:?}");
    }
    for a in &accounts {
        let sum: i64 = page
            .items
            .iter()
            .filter(|m| m.account_id == a.id)
            .map(|m| m.amount.minor())
            .sum();
        assert_eq!(sum, a.balance.minor(), "{}", a.name);
    }

    // Each account has its owner as its only member, and can be shared.
    for a in &accounts {
        assert_eq!((a.role, a.owner_id), (Role::Owner, ada), "{}", a.name);
        let members = s.members(ada, a.id, NOW).await.expect("members");
        assert_eq!(members.len(), 1, "{members:?}");
        assert_eq!(members[0].role, Role::Owner);
    }
    let bob = s
        .get_or_create_user(
            UserId::random(),
            &Email::parse("bob@example.com").expect("email"),
            NOW,
        )
        .await
        .expect("bob");
    let bank = &accounts[0];
    let invitation = Invitation {
        id: InvitationId::random(),
        account: AccountSummary {
            id: bank.id,
            name: bank.name.clone(),
            currency: bank.currency,
        },
        email: bob.email.clone(),
        role: Role::Viewer,
        invited_by: owner.clone(),
        expires_at: NOW + INVITATION_TTL,
    };
    s.invite(&invitation, NOW, None).await.expect("invite");
    s.answer_invitation(bob.id, &bob.email, invitation.id, true, NOW)
        .await
        .expect("accept");
    let shared = s
        .get_account(bob.id, bank.id)
        .await
        .expect("read")
        .expect("shared");
    assert_eq!((shared.role, shared.balance.minor()), (Role::Viewer, 7000));
    let seen = s
        .list_movements(&[shared], &query)
        .await
        .expect("movements");
    assert_eq!(seen.items.len(), 2);
    check_categorising(s, &owner).await;
}

/// The old rows in categories; a rule applied to them; a split receipt beside them.
async fn check_categorising(s: &impl DatabaseStore, owner: &UserRef) {
    let ada = owner.id;
    let sums = |all: Vec<CategorySum>| {
        let mut out: Vec<(Option<String>, u64, i128)> =
            all.into_iter().map(|c| (c.name, c.count, c.sum)).collect();
        out.sort();
        out
    };
    assert_eq!(
        sums(s.category_sums(ada).await.expect("categories")),
        [
            (None, 1, -300),
            (None, 1, 10000),
            (Some("home".into()), 1, -3000)
        ]
    );
    let (_, when, then) = check_rule(
        "spending",
        &Conditions {
            amount_max: Some("-1".into()),
            ..Conditions::default()
        },
        &Actions {
            category: Some("spent".into()),
            add_tags: vec!["old".into()],
            description: None,
        },
    )
    .expect("rule");
    let rule = Rule {
        id: RuleId::random(),
        owner_id: ada,
        name: "spending".into(),
        position: 1,
        when,
        then,
        applied: 0,
        created_at: NOW,
        updated_at: NOW,
    };
    s.create_rule(&rule, None).await.expect("rule");
    let accounts = s.list_accounts(ada).await.expect("accounts");
    let query = MovementQuery::parse(&MovementQueryInput::default()).expect("query");
    let page = s.list_movements(&accounts, &query).await.expect("page");
    let changes: Vec<_> = page
        .items
        .iter()
        .filter_map(|m| rule.change(m, false).map(|after| (m.clone(), after)))
        .collect();
    assert_eq!(changes.len(), 2, "rent (tagged) and tea (categorised)");
    assert_eq!(
        s.apply_rule(ada, rule.id, &changes, None)
            .await
            .expect("apply"),
        (2, false)
    );
    assert_eq!(
        s.tag_counts(ada).await.expect("tags"),
        [("morning".to_string(), 1), ("old".to_string(), 2)]
    );
    let tagged = MovementQuery {
        tags: vec!["old".into()],
        ..query.clone()
    };
    let found = s.list_movements(&accounts, &tagged).await.expect("tagged");
    assert_eq!(found.items.len(), 2);
    assert!(found.items.iter().all(|m| m.rule_id == Some(rule.id)));

    // A split receipt on the old account: the balance moves by its amount, each part
    // counts in its category.
    let bank = &accounts[0];
    let receipt = NewMovement::parse(
        &MovementInput {
            amount: "-10".into(),
            description: "shop".into(),
            occurred_on: Some("2026-12-01".into()),
            splits: Some(vec![
                SplitInput {
                    amount: "-7".into(),
                    category: "food".into(),
                    description: None,
                },
                SplitInput {
                    amount: "-3".into(),
                    category: "home".into(),
                    description: None,
                },
            ]),
            ..MovementInput::default()
        },
        bank.currency,
        NOW.date(),
    )
    .expect("receipt")
    .into_movement(bank.id, NOW, owner);
    hooks::listen(s, ada, NOW).await;
    let Added::Created { balance, .. } = s.add_movement(ada, &receipt, None).await.expect("add")
    else {
        panic!("not added");
    };
    hooks::heard(s, receipt.id, NOW).await;
    assert_eq!(balance.minor(), 6000);
    assert_eq!(
        sums(s.category_sums(ada).await.expect("categories")),
        [
            (None, 1, 10000),
            (Some("food".into()), 1, -700),
            (Some("home".into()), 2, -3300),
            (Some("spent".into()), 1, -300)
        ]
    );
    books::check_books(s, owner, NOW, BANK).await;
}

const NOW: time::OffsetDateTime = datetime!(2026-12-06 09:00 UTC);

#[tokio::test]
async fn sqlite_data_of_the_previous_schema_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("finance.db").display());
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse().expect("url");
    let pool = sqlx::SqlitePool::connect_with(options.create_if_missing(true))
        .await
        .expect("old database");
    previous(sqlx::migrate!("../migrations/sqlite"))
        .run(&pool)
        .await
        .expect("previous schema");
    write_old_rows!(&pool);
    pool.close().await;

    let store = SqliteStore::connect(&url).await.expect("upgraded");
    check(&store).await;
}

#[tokio::test]
async fn postgres_data_of_the_previous_schema_is_kept() {
    let Some(url) = support::postgres_url().await else {
        return;
    };
    let pool = sqlx::PgPool::connect(&url).await.expect("old database");
    previous(sqlx::migrate!("../migrations/postgres"))
        .run(&pool)
        .await
        .expect("previous schema");
    write_old_rows!(&pool);
    pool.close().await;

    let store = PgStore::connect(&url, 4).await.expect("upgraded");
    check(&store).await;
}
