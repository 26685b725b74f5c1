-- The response cache's shared tier: answers any instance may replay, by the hash of the normalised request.
-- created_at is the database's clock, so every instance polls new rows by one clock; origin is the instance that
-- wrote the row, so a poll skips its own.
CREATE TABLE response_cache (
    hash          VARCHAR(64)              PRIMARY KEY,
    owner_key_id  BIGINT,
    origin        VARCHAR(36),
    content_type  VARCHAR(64)              NOT NULL,
    stream        BOOLEAN                  NOT NULL,
    body          VARBINARY                NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX response_cache_expires ON response_cache (expires_at);
CREATE INDEX response_cache_created ON response_cache (created_at);

-- A key's own response cache mode (deterministic, all, off); NULL follows CACHE_MODE.
ALTER TABLE client_keys ADD COLUMN cache_mode VARCHAR(16);
