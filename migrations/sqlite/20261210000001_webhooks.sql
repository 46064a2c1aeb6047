-- Webhooks (POST /webhooks): a user's endpoints and the events each listens to. The
-- secret signs every delivery, so it is kept encrypted (XChaCha20-Poly1305 under a key
-- derived from the token key file), not hashed. `events` is `,a,b,` or `,*,` so that
-- `LIKE '%,<type>,%'` tells whether a webhook wants an event.
CREATE TABLE webhooks (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret BLOB NOT NULL,
    created_at TEXT NOT NULL,
    failing_since TEXT,
    disabled_at TEXT
);
CREATE INDEX webhooks_user ON webhooks (user_id) WHERE disabled_at IS NULL;

-- The outbox: one row per event and webhook, written in the transaction of the change.
-- SQLite has one writer, so a claim is a plain update in a write transaction.
CREATE TABLE webhook_deliveries (
    webhook_id BLOB NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id BLOB NOT NULL,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    claimed_until TEXT,
    PRIMARY KEY (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (julianday(next_at)) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_latest ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    webhook_id BLOB NOT NULL,
    event_id BLOB NOT NULL,
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, event_id, attempt),
    FOREIGN KEY (webhook_id, event_id) REFERENCES webhook_deliveries ON DELETE CASCADE
);

CREATE TABLE budget_alerts (
    owner_id BLOB NOT NULL,
    category TEXT NOT NULL,
    month TEXT NOT NULL,
    movement_id BLOB NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (owner_id, category, month)
);
