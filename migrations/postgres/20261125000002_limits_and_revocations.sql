-- Sliding-window rate limits: one counter per key and fixed bucket of time; the limit
-- weighs the previous bucket by how much of it the window still covers.
CREATE TABLE rate_counters (
    key TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    count BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (key, bucket)
);
CREATE INDEX rate_counters_expiry ON rate_counters (expires_at);

-- Tokens signed out one by one, until they would have expired anyway.
CREATE TABLE revoked_tokens (
    token_id TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);

-- "Sign out everywhere": tokens of the user issued before this time are refused.
CREATE TABLE token_cutoffs (
    user_id UUID PRIMARY KEY,
    not_before TIMESTAMPTZ NOT NULL
);
