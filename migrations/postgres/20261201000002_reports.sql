-- Monthly limits on a category's expenses, one per owner and category.
CREATE TABLE budgets (
    owner_id UUID NOT NULL REFERENCES users (id),
    category TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (owner_id, category)
);

-- Text search in descriptions (ILIKE '%…%') through trigrams. The extension lives in
-- `public` so that every schema's index can use it and dropping one schema never drops it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX movements_description_trgm ON movements USING gin (description public.gin_trgm_ops);
