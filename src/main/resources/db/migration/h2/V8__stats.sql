-- Stats and log search: see the PostgreSQL twin. (ts, id) serves the newest-first cursor and every time window.
CREATE INDEX usage_log_ts_id_idx ON usage_log (ts, id);
DROP INDEX usage_log_ts_idx;
