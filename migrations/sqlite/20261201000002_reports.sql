-- Monthly limits on a category's expenses, one per owner and category.
CREATE TABLE budgets (
    owner_id BLOB NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (owner_id, category)
) WITHOUT ROWID;

-- Text search in descriptions: an FTS5 index of trigrams, which answers LIKE '%…%' (case
-- folded) from the index instead of reading every description; kept by triggers.
CREATE VIRTUAL TABLE movements_search USING fts5(
    description, content = 'movements', content_rowid = 'seq', tokenize = 'trigram'
);
INSERT INTO movements_search (movements_search) VALUES ('rebuild');
CREATE TRIGGER movements_search_insert AFTER INSERT ON movements BEGIN
    INSERT INTO movements_search (rowid, description) VALUES (new.seq, new.description);
END;
CREATE TRIGGER movements_search_delete AFTER DELETE ON movements BEGIN
    INSERT INTO movements_search (movements_search, rowid, description)
    VALUES ('delete', old.seq, old.description);
END;
CREATE TRIGGER movements_search_update AFTER UPDATE OF description ON movements BEGIN
    INSERT INTO movements_search (movements_search, rowid, description)
    VALUES ('delete', old.seq, old.description);
    INSERT INTO movements_search (rowid, description) VALUES (new.seq, new.description);
END;

-- The reports read a year of movements at a time: per account and day, their category,
-- amount and whether they are a transfer's leg, all from this index without touching the
-- table (Postgres reads them fast enough from the table; SQLite was 4x slower doing so).
CREATE INDEX movements_report ON movements (account_id, occurred_on, category, amount, transfer_id);
