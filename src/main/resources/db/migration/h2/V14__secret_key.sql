-- Encryption at rest of upstream credentials; the PostgreSQL twin (with the comments) is in db/migration/postgresql.
CREATE TABLE secret_key (
    id          INTEGER                  NOT NULL PRIMARY KEY CHECK (id = 1),
    salt        CHARACTER VARYING(64),
    iterations  INTEGER,
    key_id      CHARACTER VARYING(32),
    updated_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO secret_key (id) VALUES (1);
