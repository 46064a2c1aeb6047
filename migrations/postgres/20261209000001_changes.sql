-- The change feed (GET /v1/changes): one small row per change to what a user sees,
-- written in the change's transaction; the records themselves are read when the feed is,
-- so a row only says what changed. An account's rows (account_id set, user_id NULL) are
-- seen by its members from when they joined; a user's own rows (user_id set: budgets,
-- rates, rules, and an account that is gone for them) by that user alone. No foreign
-- keys: the rows outlive what they name.
--
-- `xid` is the writing transaction's id. Sequence numbers are not handed out in commit
-- order (a transaction holding seq 10 can commit after one holding 11), so a reader never
-- orders by seq alone: it returns rows in (xid, seq) order, and only rows of transactions
-- older than every transaction still in flight (pg_snapshot_xmin of its snapshot). Every
-- transaction below that line has ended, so no row can ever appear behind a cursor.
CREATE TABLE changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    account_id UUID,
    user_id UUID,
    at TIMESTAMPTZ NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('upserted', 'deleted'))
);
CREATE INDEX changes_position ON changes (xid, seq);

-- The position up to which rows were purged (older than the retention): a cursor below it
-- has missed changes, and is answered 410 Gone.
CREATE TABLE changes_floor (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    xid xid8 NOT NULL,
    seq BIGINT NOT NULL
);
INSERT INTO changes_floor (xid, seq) VALUES ('0', 0);
