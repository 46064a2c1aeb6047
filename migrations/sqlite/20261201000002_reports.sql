-- Monthly limits on a category's expenses, one per owner and category.
CREATE TABLE budgets (
    owner_id BLOB NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (owner_id, category)
) WITHOUT ROWID;
