-- The hourly purge deletes idempotency keys by age; without this it reads the whole table.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
