-- Webhooks (POST /webhooks): a user's endpoints and the events each listens to. The
-- secret signs every delivery, so it is kept encrypted (XChaCha20-Poly1305 under a key
-- derived from the token key file), not hashed. `events` is `,a,b,` or `,*,` so that
-- `LIKE '%,<type>,%'` tells whether a webhook wants an event.
CREATE TABLE webhooks (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    -- Since when deliveries fail with no success between; after 24 hours: disabled.
    failing_since TIMESTAMPTZ,
    disabled_at TIMESTAMPTZ
);
CREATE INDEX webhooks_user ON webhooks (user_id) WHERE disabled_at IS NULL;

-- The outbox: one row per event and webhook, written in the transaction of the change
-- (so it exists exactly when the change does), claimed by one server at a time
-- (`claimed_until`, taken with FOR UPDATE SKIP LOCKED; a server that dies lets its claim
-- run out) and kept with the same event id over every attempt.
CREATE TABLE webhook_deliveries (
    webhook_id UUID NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id UUID NOT NULL,
    type TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ,
    PRIMARY KEY (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_latest ON webhook_deliveries (webhook_id, created_at);

-- Every attempt and its answer (GET /webhooks/{id}/deliveries).
CREATE TABLE webhook_attempts (
    webhook_id UUID NOT NULL,
    event_id UUID NOT NULL,
    attempt INTEGER NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, event_id, attempt),
    FOREIGN KEY (webhook_id, event_id) REFERENCES webhook_deliveries ON DELETE CASCADE
);

-- budget.exceeded fires once per budget and month: the first movement past it writes
-- this row, and a racing second one finds it.
CREATE TABLE budget_alerts (
    owner_id UUID NOT NULL,
    category TEXT NOT NULL,
    month DATE NOT NULL,
    movement_id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (owner_id, category, month)
);

-- The feed is read by (xid, seq) alone: its primary key on seq was one more index to
-- write with every movement (the sequence still numbers rows uniquely).
ALTER TABLE changes DROP CONSTRAINT changes_pkey;
