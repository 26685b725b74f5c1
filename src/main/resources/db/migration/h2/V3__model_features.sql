-- Aliases (a JSON array of strings) and capabilities of model entries; the PostgreSQL twin is in
-- db/migration/postgresql.
ALTER TABLE models ADD COLUMN aliases CHARACTER VARYING DEFAULT '[]' NOT NULL;
ALTER TABLE models ADD COLUMN max_tokens INTEGER;
ALTER TABLE models ADD COLUMN supports_streaming BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE models ADD COLUMN supports_tools BOOLEAN DEFAULT TRUE NOT NULL;
