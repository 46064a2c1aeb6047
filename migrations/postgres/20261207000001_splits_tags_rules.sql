-- Splits, tags and rules. A movement keeps its parts and tags in its own row (`splits`
-- JSON, `tags` space-separated: what its reads return, without a join) and, for the
-- reads that filter or sum by them, one row per part and per tag below, written in the
-- same transaction. Existing movements have neither.
ALTER TABLE movements ADD COLUMN splits TEXT;
ALTER TABLE movements ADD COLUMN tags TEXT;
ALTER TABLE movements ADD COLUMN rule_id UUID;

-- The reports sum unsplit movements and, for split ones, their parts.
CREATE TABLE movement_parts (
    movement_id UUID NOT NULL REFERENCES movements (id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    account_id UUID NOT NULL,
    occurred_on DATE NOT NULL,
    category TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (movement_id, part)
);
CREATE INDEX movement_parts_report ON movement_parts (account_id, occurred_on, category, amount);
CREATE INDEX movement_parts_category ON movement_parts (account_id, category, movement_id);

CREATE TABLE movement_tags (
    account_id UUID NOT NULL,
    tag TEXT NOT NULL,
    movement_id UUID NOT NULL REFERENCES movements (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, tag, movement_id)
);
CREATE INDEX movement_tags_movement ON movement_tags (movement_id);

-- A user's rules, tried in position order; conditions and actions as JSON.
CREATE TABLE rules (
    id UUID PRIMARY KEY NOT NULL,
    owner_id UUID NOT NULL REFERENCES users (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX rules_owner ON rules (owner_id, position);
CREATE INDEX movements_rule ON movements (rule_id) WHERE rule_id IS NOT NULL;

-- A schedule's template may be split and tagged like a movement.
ALTER TABLE schedules ADD COLUMN splits TEXT;
ALTER TABLE schedules ADD COLUMN tags TEXT;

-- A keyed request whose answer is not a record (a rule's apply) keeps its answer here.
ALTER TABLE idempotency_keys ADD COLUMN answer TEXT;
