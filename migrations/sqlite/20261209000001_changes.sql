-- The change feed (GET /v1/changes): one small row per change to what a user sees,
-- written in the change's transaction; the records themselves are read when the feed is.
-- An account's rows (account_id set, user_id NULL) are seen by its members from when they
-- joined; a user's own rows (user_id set) by that user alone. No foreign keys: the rows
-- outlive what they name. SQLite has one writer at a time, so seq order is commit order
-- and a cursor is a seq.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BLOB,
    user_id BLOB,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('upserted', 'deleted'))
);

-- The position up to which rows were purged: a cursor below it is answered 410 Gone.
CREATE TABLE changes_floor (
    one INTEGER PRIMARY KEY DEFAULT 1 CHECK (one = 1),
    seq INTEGER NOT NULL
);
INSERT INTO changes_floor (seq) VALUES (0);
