-- Stored responses; the PostgreSQL twin (with the comments) is in db/migration/postgresql.
CREATE TABLE stored_responses (
    id           CHARACTER VARYING(64)    PRIMARY KEY,
    key_id       BIGINT                   REFERENCES client_keys (id) ON DELETE CASCADE,
    key_hash     CHARACTER VARYING(64),
    model        CHARACTER VARYING        NOT NULL,
    response     CHARACTER VARYING        NOT NULL,
    input_items  CHARACTER VARYING        NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX stored_responses_expires_at_idx ON stored_responses (expires_at);
