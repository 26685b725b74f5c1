-- Issue 15: encryption at rest of upstream credentials (persistence/SecretKeys). One row: the install's PBKDF2 salt
-- and rounds (set at the first start with TOLLGATE_SECRET_KEY), and the id of the key providers.api_keys and
-- providers.options are sealed under (NULL: stored in plaintext). Starting instances lock this row while they check
-- the passphrase and bring the provider rows to its key, so two that start at once do not both do it.
CREATE TABLE secret_key (
    id          INTEGER     NOT NULL PRIMARY KEY CHECK (id = 1),
    salt        VARCHAR(64),
    iterations  INTEGER,
    key_id      VARCHAR(32),
    updated_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO secret_key (id) VALUES (1);
