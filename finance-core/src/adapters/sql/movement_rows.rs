//! Movements: each insert moves its account's stored balance in the same transaction, and
//! a keyed insert records its idempotency key there too.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::domain::{
    AccountId, Currency, Email, Money, MoneyError, Movement, MovementId, RuleId, ScheduleId,
    TransferId, UserId, UserRef, splits_from_text, tags_from_text,
};
use crate::ports::StoreError;

#[derive(sqlx::FromRow)]
pub struct MovementRow {
    seq: i64,
    id: Uuid,
    account_id: Uuid,
    amount: i64,
    description: String,
    category: Option<String>,
    occurred_on: Date,
    transfer_id: Option<Uuid>,
    /// Not every statement reads it (the write paths' replays do not need it).
    #[sqlx(default)]
    schedule_id: Option<Uuid>,
    created_at: OffsetDateTime,
    updated_at: Option<OffsetDateTime>,
    created_by: Option<Uuid>,
    updated_by: Option<Uuid>,
    /// Read from the users (`null` once the author has left).
    created_email: Option<String>,
    updated_email: Option<String>,
    /// Parts as JSON, tags space-separated (not read by statements for transfer legs,
    /// which have neither).
    #[sqlx(default)]
    splits: Option<String>,
    #[sqlx(default)]
    tags: Option<String>,
    #[sqlx(default)]
    rule_id: Option<Uuid>,
}

/// Who wrote a row: the user, with their email while they are there. Rows from before
/// authors were kept have theirs filled in by the migration, so `None` is not expected.
fn author(id: Option<Uuid>, email: Option<String>) -> UserRef {
    UserRef {
        id: UserId(id.unwrap_or_default()),
        email: email.and_then(|e| Email::parse(&e).ok()),
    }
}

/// A LIKE pattern for text anywhere in a value, its own `%`, `_` and `\` taken literally.
pub(crate) fn contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

impl MovementRow {
    pub(crate) fn account_id(&self) -> Uuid {
        self.account_id
    }

    /// The movement in its account's `currency`, with its place in the insertion order.
    pub(crate) fn into_movement(self, currency: Currency) -> Result<(i64, Movement), StoreError> {
        let splits = self
            .splits
            .as_deref()
            .map(|text| splits_from_text(text, currency))
            .transpose()
            .map_err(|e| super::corrupt("movement parts", std::io::Error::other(e)))?;
        let movement = Movement {
            reconciled: false,
            id: MovementId(self.id),
            account_id: AccountId(self.account_id),
            amount: Money::from_minor(self.amount, currency),
            description: self.description,
            category: self.category,
            occurred_on: self.occurred_on,
            transfer_id: self.transfer_id.map(TransferId),
            schedule_id: self.schedule_id.map(ScheduleId),
            created_at: self.created_at,
            updated_at: self.updated_at.unwrap_or(self.created_at),
            created_by: author(self.created_by, self.created_email),
            updated_by: author(self.updated_by, self.updated_email),
            splits,
            tags: tags_from_text(self.tags.as_deref()),
            rule_id: self.rule_id.map(RuleId),
        };
        Ok((self.seq, movement))
    }
}

/// `balance` with the movement taken back out: `BalanceOverflow` out of range.
pub(crate) fn unmoved(balance: Money, m: &Movement) -> Result<Money, StoreError> {
    balance.checked_sub(m.amount).map_err(|e| match e {
        MoneyError::Overflow => StoreError::BalanceOverflow,
        other => super::corrupt("movement currency", other),
    })
}

/// `balance` with `before` replaced by `after`, exact whatever the order: only the
/// result must fit (`BalanceOverflow` otherwise).
pub(crate) fn replaced(
    balance: Money,
    before: &Movement,
    after: &Movement,
) -> Result<Money, StoreError> {
    let currency = balance.currency();
    if before.amount.currency() != currency || after.amount.currency() != currency {
        return Err(super::corrupt(
            "movement currency",
            MoneyError::CurrencyMismatch(currency, after.amount.currency()),
        ));
    }
    let next = i128::from(balance.minor()) - i128::from(before.amount.minor())
        + i128::from(after.amount.minor());
    i64::try_from(next)
        .map(|minor| Money::from_minor(minor, currency))
        .map_err(|_| StoreError::BalanceOverflow)
}

/// Rows written by one INSERT: 12 parameters each stays far below both engines' limits.
pub(crate) const ROWS_PER_INSERT: usize = 500;

/// `balance` moved by the movement: `BalanceOverflow` out of range.
pub(crate) fn moved(balance: Money, m: &Movement) -> Result<Money, StoreError> {
    balance.checked_add(m.amount).map_err(|e| match e {
        MoneyError::Overflow => StoreError::BalanceOverflow,
        other => super::corrupt("movement currency", other),
    })
}

/// A movement read with its account's currency (for reads that start from the movement).
#[derive(sqlx::FromRow)]
pub struct OwnedMovementRow {
    #[sqlx(flatten)]
    movement: MovementRow,
    currency: String,
    /// The account's latest reconciled day.
    reconciled_on: Option<Date>,
}

impl OwnedMovementRow {
    pub(crate) fn into_movement(self) -> Result<Movement, StoreError> {
        let currency =
            Currency::parse(&self.currency).map_err(|e| super::corrupt("currency", e))?;
        let mut m = self.movement.into_movement(currency)?.1;
        m.reconciled = self.reconciled_on.is_some_and(|d| m.occurred_on <= d);
        Ok(m)
    }
}

/// What a recorded idempotency key points at.
#[derive(sqlx::FromRow)]
pub struct KeyRow {
    pub(crate) fingerprint: String,
    pub(crate) movement_id: Uuid,
}

/// A movement written by Postgres in one statement, so the account row is locked for that
/// statement alone rather than for five round trips of a transaction: it locks the
/// account and, for a writer who is not its owner, their membership (share-locked, so a
/// removal or a new role waits for this write and the next write sees it; the owner needs
/// none: only a hand-over, which changes the locked account row, ends their role), records
/// the idempotency key (`$9`, `$10`; NULL for none), moves the balance only if the key is
/// new, and inserts the movement with its parts (`$16`, `$17`) and tags (`$18`), its
/// history entry (`$19`, the movement as the API writes it) and its row of the change
/// feed, and its webhook deliveries (`$20` the event's id). A movement dated on or before
/// the account's latest reconciled day is not written (`open` false on an account that is
/// not archived). A balance out of range aborts the statement (`bigint out of range`), so
/// nothing is written.
///
/// The row says what happened: `found` false is a missing account or a non-member,
/// `role` the writer's, `open` false an archived account or a viewer (nothing written); else a NULL `balance` is a key already recorded (the
/// caller replays it), and otherwise the new balance.
///
/// Writes to one account queue for its row lock, so whatever the statement does is paid
/// by every writer waiting: a movement without parts or tags takes
/// [`PG_ADD_PLAIN_MOVEMENT`], which leaves their two tables (and their indexes) unopened,
/// and the account's members' webhooks are looked for only when any webhook is enabled at
/// all (mostly none: one probe of an empty index). Together about 9% less Postgres CPU per
/// write (BENCHMARKS.md, issue 31).
#[cfg(feature = "postgres")]
macro_rules! pg_add_movement {
    ($($parts_and_tags:literal)?) => {
        concat!(
            "WITH acct AS ( \
                SELECT id, archived, owner_id, reconciled_on FROM accounts WHERE id = $2 FOR UPDATE \
            ), member AS ( \
                SELECT role FROM account_members \
                WHERE account_id = (SELECT id FROM acct WHERE owner_id <> $1) AND user_id = $1 \
                FOR SHARE \
            ), writer AS ( \
                SELECT CASE WHEN owner_id = $1 THEN 'owner' ELSE (SELECT role FROM member) END AS role \
                FROM acct \
            ), open AS ( \
                SELECT id FROM acct \
                WHERE NOT archived AND (SELECT role FROM writer) IN ('owner', 'editor') \
                  AND (reconciled_on IS NULL OR $7 > reconciled_on) \
            ), new_key AS ( \
                INSERT INTO idempotency_keys (user_id, key, fingerprint, movement_id, created_at) \
                SELECT $1, $9, $10, $3, $8 FROM open WHERE $9::text IS NOT NULL \
                ON CONFLICT (user_id, key) DO NOTHING RETURNING 1 \
            ), moved AS ( \
                UPDATE accounts SET balance = accounts.balance + $4 \
                WHERE accounts.id = $2 AND EXISTS (SELECT 1 FROM open) \
                  AND ($9::text IS NULL OR EXISTS (SELECT 1 FROM new_key)) \
                RETURNING accounts.balance, accounts.currency \
            ), inserted AS ( \
                INSERT INTO movements \
                (id, account_id, amount, description, category, occurred_on, created_at, updated_at, \
                 created_by, updated_by, splits, tags, rule_id) \
                SELECT $3, $2, $4, $5, $6, $7, $8, $11, $12, $12, $13, $14, $15 FROM moved \
            ), ",
            $($parts_and_tags,)?
            "logged AS ( \
                INSERT INTO history (account_id, at, by_id, action, entity, entity_id, before, after) \
                SELECT $2, $8, $12, 'created', 'movement', $3, NULL, $19 FROM moved \
            ), fed AS ( \
                INSERT INTO changes (account_id, at, entity, entity_id, action) \
                SELECT $2, $8, 'movement', $3::text, 'upserted' FROM moved \
            ), listeners AS MATERIALIZED ( \
                SELECT w.id, w.events FROM account_members am JOIN webhooks w ON w.user_id = am.user_id \
                WHERE EXISTS (SELECT 1 FROM webhooks WHERE disabled_at IS NULL) \
                  AND am.account_id = $2 AND w.disabled_at IS NULL \
            ), hooked AS ( \
                INSERT INTO webhook_deliveries (event_id, webhook_id, type, created_at, data, next_at) \
                SELECT $20, l.id, 'movement.created', $8, $19, $8 FROM moved, listeners l \
                WHERE l.events = ',*,' OR l.events LIKE '%,movement.created,%' \
            ) \
            SELECT (SELECT role FROM writer) IS NOT NULL AS found, (SELECT role FROM writer) AS role, \
                EXISTS (SELECT 1 FROM open) AS open, coalesce((SELECT archived FROM acct), false) AS archived, \
                moved.balance, moved.currency, \
                EXISTS (SELECT 1 FROM listeners l \
                  WHERE l.events = ',*,' OR l.events LIKE '%,budget.exceeded,%') AS watched \
            FROM (SELECT 1) AS one LEFT JOIN moved ON true"
        )
    };
}

/// The one-statement write of a movement with parts or tags (`$16`–`$18`); see
/// `pg_add_movement!` for what it does.
#[cfg(feature = "postgres")]
pub(crate) const PG_ADD_MOVEMENT: &str = pg_add_movement!(
    "parts AS ( \
        INSERT INTO movement_parts (movement_id, part, account_id, occurred_on, category, amount) \
        SELECT $3, p.ord - 1, $2, $7, p.category, p.amount \
        FROM moved, UNNEST($16::text[], $17::int8[]) WITH ORDINALITY AS p(category, amount, ord) \
    ), tagged AS ( \
        INSERT INTO movement_tags (account_id, tag, movement_id) \
        SELECT $2, t.tag, $3 FROM moved, UNNEST($18::text[]) AS t(tag) \
    ), "
);

/// The one-statement write of a movement with neither parts nor tags: `$16`–`$18` are
/// bound but not read.
#[cfg(feature = "postgres")]
pub(crate) const PG_ADD_PLAIN_MOVEMENT: &str = pg_add_movement!();

/// What [`PG_ADD_MOVEMENT`] answers.
#[cfg(feature = "postgres")]
#[derive(sqlx::FromRow)]
pub struct WrittenRow {
    pub(crate) found: bool,
    pub(crate) role: Option<String>,
    pub(crate) open: bool,
    pub(crate) archived: bool,
    pub(crate) balance: Option<i64>,
    pub(crate) currency: Option<String>,
    /// Whether a member of the account has a webhook listening to `budget.exceeded`.
    pub(crate) watched: bool,
}
