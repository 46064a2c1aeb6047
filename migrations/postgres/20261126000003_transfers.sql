-- A transfer ties its two legs (movements with its transfer_id) together.
CREATE TABLE transfers (
    id UUID PRIMARY KEY NOT NULL,
    owner_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX movements_transfer ON movements (transfer_id) WHERE transfer_id IS NOT NULL;
