-- Rows of bank files already imported into an account, by the bank's id of the
-- transaction or a hash of the row: importing a file again adds nothing twice.
CREATE TABLE imported (
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    movement_id UUID NOT NULL,
    PRIMARY KEY (account_id, key)
);
