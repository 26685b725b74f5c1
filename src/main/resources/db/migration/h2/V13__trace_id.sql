-- Issue 14: the W3C trace id of each request, as on PostgreSQL (whose V13 adds it to every daily partition).
ALTER TABLE usage_log ADD COLUMN trace_id CHARACTER VARYING(32);
