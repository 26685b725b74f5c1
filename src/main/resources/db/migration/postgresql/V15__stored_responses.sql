-- Responses kept for GET /v1/responses/{id} and previous_response_id (POST /v1/responses with store not false).
-- The owner is the client key that made it: key_id for a key of the admin API or TOLLGATE_CONFIG, key_hash (the
-- SHA-256 the gateway keeps of it) for a key from API_KEYS, neither for a request without a key. response is the
-- Response JSON the client got; input_items the JSON array of the Responses input items the response answered
-- (those of its previous_response_id chain first), so a continuation needs this row alone. A row whose expires_at
-- has passed reads as absent; Housekeeping deletes such rows in small batches.
CREATE TABLE stored_responses (
    id           VARCHAR(64)              PRIMARY KEY,
    key_id       BIGINT                   REFERENCES client_keys (id) ON DELETE CASCADE,
    key_hash     VARCHAR(64),
    model        TEXT                     NOT NULL,
    response     TEXT                     NOT NULL,
    input_items  TEXT                     NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX stored_responses_expires_at_idx ON stored_responses (expires_at);
