-- Issue 13 (docs/LOGS.md): H2 keeps usage_log a plain table (retention deletes rows); the optional bodies and the
-- hourly rollups as on PostgreSQL, whose V12 also partitions usage_log by day.
-- No index on request_id here: on the embedded database every index costs the gateway's own CPU on each logged
-- request; GET /admin/logs/{request_id} scans instead (PostgreSQL has the index).

CREATE TABLE usage_bodies (
    request_id    CHARACTER VARYING(64)    NOT NULL,
    ts            TIMESTAMP WITH TIME ZONE NOT NULL,
    request_body  CHARACTER LARGE OBJECT,
    response_body CHARACTER LARGE OBJECT
);
CREATE INDEX usage_bodies_request_id_idx ON usage_bodies (request_id);
CREATE INDEX usage_bodies_ts_idx ON usage_bodies (ts);

CREATE TABLE usage_hourly (
    hour_start        TIMESTAMP WITH TIME ZONE NOT NULL,
    model             CHARACTER VARYING(200),
    key_id            BIGINT,
    key_name          CHARACTER VARYING(200),
    user_id           BIGINT,
    provider          CHARACTER VARYING(100),
    status            INTEGER                  NOT NULL,
    requests          BIGINT                   NOT NULL,
    prompt_tokens     BIGINT,
    completion_tokens BIGINT,
    cached_tokens     BIGINT,
    reasoning_tokens  BIGINT,
    cost_usd          NUMERIC(24, 8),
    priced_requests   BIGINT                   NOT NULL,
    latency_sum_ms    BIGINT,
    latency_hist      CHARACTER VARYING(4000),
    ttfb_hist         CHARACTER VARYING(4000)
);
CREATE INDEX usage_hourly_hour_idx ON usage_hourly (hour_start);

CREATE TABLE usage_rollup_state (
    id            INTEGER                  NOT NULL PRIMARY KEY,
    rolled_until  TIMESTAMP WITH TIME ZONE
);
INSERT INTO usage_rollup_state (id, rolled_until) VALUES (1, NULL);
