-- The currency a user's net worth is shown in (null until chosen).
ALTER TABLE users ADD COLUMN base_currency TEXT;

-- Exchange rates: on `day`, 1 `base` was worth `rate` (an exact decimal) `quote`.
CREATE TABLE rates (
    owner_id UUID NOT NULL REFERENCES users (id),
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    day DATE NOT NULL,
    rate TEXT NOT NULL,
    PRIMARY KEY (owner_id, base, quote, day)
);
-- Listing newest first across pairs.
CREATE INDEX rates_by_day ON rates (owner_id, day DESC, base, quote);

-- The pairs an owner has rates of: the latest rate of each is one probe of the key.
CREATE TABLE rate_pairs (
    owner_id UUID NOT NULL REFERENCES users (id),
    base TEXT NOT NULL,
    quote TEXT NOT NULL,
    PRIMARY KEY (owner_id, base, quote)
);

-- The rates transfers imply are looked up per owner.
CREATE INDEX transfers_owner ON transfers (owner_id);
