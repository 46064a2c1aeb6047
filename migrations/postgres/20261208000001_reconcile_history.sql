-- Reconciling and history. An account remembers the latest date reconciled: a movement
-- dated on or before it is reconciled (locked), and nothing new may be dated there, so
-- the lock needs no flag per movement; a reconciliation keeps the date before it, which
-- its deletion restores, unlocking exactly what it locked.
ALTER TABLE accounts ADD COLUMN reconciled_on DATE;

CREATE TABLE reconciliations (
    id UUID PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    on_date DATE NOT NULL,
    balance BIGINT NOT NULL,
    locked BIGINT NOT NULL,
    previous DATE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID NOT NULL
);
CREATE INDEX reconciliations_account ON reconciliations (account_id, on_date DESC);

-- Every change to an account's records, append-only, written in the change's transaction;
-- `before`/`after` are the records' API shapes (JSON). Kept when the record is deleted,
-- gone with the account. `by_id` has no foreign key: the author may leave meanwhile.
CREATE TABLE history (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    by_id UUID NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id UUID NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX history_account ON history (account_id, seq DESC);
CREATE INDEX history_entity ON history (account_id, entity_id, seq DESC);
