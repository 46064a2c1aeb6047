-- Who recorded a movement and who changed it last (shared accounts have several writers).
-- Rows from before were all written by their account's owner.
ALTER TABLE movements ADD COLUMN created_by UUID;
ALTER TABLE movements ADD COLUMN updated_by UUID;
UPDATE movements m SET created_by = a.owner_id, updated_by = a.owner_id
FROM accounts a WHERE a.id = m.account_id;
