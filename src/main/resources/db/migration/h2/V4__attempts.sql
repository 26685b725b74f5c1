-- Upstream calls per request and their log; the PostgreSQL twin is in db/migration/postgresql.
ALTER TABLE usage_log ADD COLUMN attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE usage_log ADD COLUMN attempt_log CHARACTER VARYING;
