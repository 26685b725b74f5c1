-- Type-specific provider settings as a JSON object of strings; the PostgreSQL twin is in db/migration/postgresql.
ALTER TABLE providers ADD COLUMN options CHARACTER VARYING DEFAULT '{}' NOT NULL;
