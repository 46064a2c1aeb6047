-- Ids are UUIDs (16-byte blobs), timestamps RFC 3339 text, dates YYYY-MM-DD text (ordered
-- correctly as text because years are kept to four digits), money integer minor units.
CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE accounts (
    id BLOB PRIMARY KEY NOT NULL,
    owner_id BLOB NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (owner_id, name)
);

-- seq gives a stable insertion order for keyset pagination.
CREATE TABLE movements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id BLOB NOT NULL UNIQUE,
    account_id BLOB NOT NULL REFERENCES accounts (id),
    amount INTEGER NOT NULL,
    description TEXT NOT NULL,
    category TEXT,
    occurred_on TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX movements_page ON movements (account_id, occurred_on DESC, seq DESC);

CREATE TABLE idempotency_keys (
    user_id BLOB NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    movement_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE otp_codes (
    email TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts_left INTEGER NOT NULL
);

CREATE TABLE otp_sends (
    email TEXT PRIMARY KEY NOT NULL,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL
);
