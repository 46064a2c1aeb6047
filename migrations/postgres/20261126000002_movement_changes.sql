-- Movements can be edited (updated_at; rows from before read their creation time) and can
-- be legs of a transfer (transfer_id, set by the transfer routes only).
ALTER TABLE movements ADD COLUMN transfer_id UUID;
ALTER TABLE movements ADD COLUMN updated_at TIMESTAMPTZ;
UPDATE movements SET updated_at = created_at;
