-- Archived accounts stay in totals and lists but take no new movements or transfers.
ALTER TABLE accounts ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
