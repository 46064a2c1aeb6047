-- The currency a user's net worth is shown in (null until chosen).
ALTER TABLE users ADD COLUMN base_currency TEXT;

-- Exchange rates: on `day`, 1 `base` was worth `rate` (an exact decimal) `quote`.
-- Without a rowid the key is the table's order, so the latest rate of a pair is one probe.
CREATE TABLE rates (
    owner_id BLOB NOT NULL REFERENCES users (id),
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    day TEXT NOT NULL,
    rate TEXT NOT NULL,
    PRIMARY KEY (owner_id, base, quote, day)
) WITHOUT ROWID;
-- Listing newest first across pairs.
CREATE INDEX rates_by_day ON rates (owner_id, day DESC, base, quote);

-- The pairs an owner can convert between: kind 'r' has explicit rates (with the latest
-- of them, so converting at today's rates reads these rows alone; an earlier day probes
-- `rates` once per pair), kind 't' had a cross-currency transfer (whose latest on or
-- before the day implies a rate). A profile's conversion reads this table, never a scan
-- of years of rates or of every transfer.
CREATE TABLE rate_pairs (
    owner_id BLOB NOT NULL REFERENCES users (id),
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    kind TEXT NOT NULL,
    latest_day TEXT,
    latest_rate TEXT,
    PRIMARY KEY (owner_id, base, quote, kind)
) WITHOUT ROWID;

-- A transfer's legs are found from its owner.
CREATE INDEX transfers_owner ON transfers (owner_id);
