-- Model entries get other public names (a JSON array of strings; uniqueness across models is checked by the
-- bootstrap file's rules and the admin API, since a name may live in two columns) and per-model capabilities.
-- The defaults are what every existing row meant: no aliases, no cap, streaming and tools allowed.
ALTER TABLE models
    ADD COLUMN aliases            TEXT    NOT NULL DEFAULT '[]',
    ADD COLUMN max_tokens         INTEGER,
    ADD COLUMN supports_streaming BOOLEAN NOT NULL DEFAULT TRUE,
    ADD COLUMN supports_tools     BOOLEAN NOT NULL DEFAULT TRUE;
