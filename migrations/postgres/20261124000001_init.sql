CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE accounts (
    id UUID PRIMARY KEY,
    owner_id UUID NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (owner_id, name)
);

-- seq gives a stable insertion order for keyset pagination.
CREATE TABLE movements (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    account_id UUID NOT NULL REFERENCES accounts (id),
    amount BIGINT NOT NULL,
    description TEXT NOT NULL,
    category TEXT,
    occurred_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX movements_page ON movements (account_id, occurred_on DESC, seq DESC);

CREATE TABLE idempotency_keys (
    user_id UUID NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    movement_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE otp_codes (
    email TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    attempts_left INTEGER NOT NULL
);

CREATE TABLE otp_sends (
    email TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    count INTEGER NOT NULL
);
