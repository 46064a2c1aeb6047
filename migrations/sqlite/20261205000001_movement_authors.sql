-- Who recorded a movement and who changed it last (shared accounts have several writers).
-- Rows from before were all written by their account's owner.
ALTER TABLE movements ADD COLUMN created_by BLOB;
ALTER TABLE movements ADD COLUMN updated_by BLOB;
UPDATE movements SET created_by = (SELECT owner_id FROM accounts WHERE accounts.id = movements.account_id);
UPDATE movements SET updated_by = created_by;
