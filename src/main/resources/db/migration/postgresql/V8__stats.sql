-- Stats and log search. /admin/logs pages newest first by (ts, id), a cursor that stays stable while rows arrive;
-- this index serves that order and every time-window query, so it replaces the one on ts alone. The H2 twin is in
-- db/migration/h2.
CREATE INDEX usage_log_ts_id_idx ON usage_log (ts, id);
DROP INDEX usage_log_ts_idx;
