-- Issue 13: the request log at scale (docs/LOGS.md). usage_log becomes a table partitioned by day on ts, so that
-- retention drops whole days; usage_bodies keeps the optional request and response bodies apart from the narrow
-- row stats read; usage_hourly holds the hourly rollups. The gateway creates each day's partitions ahead
-- (retention/LogPartitions); the DEFAULT partitions take any row no daily partition covers, so none is refused.
-- The H2 twin in db/migration/h2 keeps plain tables.

ALTER TABLE usage_log RENAME TO usage_log_unpartitioned;
ALTER INDEX usage_log_pkey RENAME TO usage_log_unpartitioned_pkey;
ALTER INDEX usage_log_key_id_ts_idx RENAME TO usage_log_unpartitioned_key_id_ts_idx;
ALTER INDEX usage_log_user_id_ts_idx RENAME TO usage_log_unpartitioned_user_id_ts_idx;
ALTER INDEX usage_log_ts_id_idx RENAME TO usage_log_unpartitioned_ts_id_idx;

-- A plain sequence rather than an identity: before PostgreSQL 17 a partitioned table cannot have an identity column.
CREATE SEQUENCE usage_log_ids;
CREATE TABLE usage_log (
    id                BIGINT         NOT NULL DEFAULT nextval('usage_log_ids'),
    ts                TIMESTAMPTZ    NOT NULL,
    request_id        VARCHAR(64),
    key_id            BIGINT,
    key_name          VARCHAR(200),
    method            VARCHAR(8),
    path              VARCHAR(300),
    model             VARCHAR(200),
    provider          VARCHAR(100),
    upstream_model    VARCHAR(200),
    stream            BOOLEAN        NOT NULL DEFAULT FALSE,
    status            INTEGER        NOT NULL,
    latency_ms        BIGINT,
    ttfb_ms           BIGINT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    error             TEXT,
    attempts          INTEGER        NOT NULL DEFAULT 0,
    attempt_log       TEXT,
    user_id           BIGINT,
    cached_tokens     INTEGER,
    reasoning_tokens  INTEGER,
    cost_usd          NUMERIC(18, 8),
    usage_source      VARCHAR(16),
    cache_status      VARCHAR(8),
    PRIMARY KEY (id, ts)
) PARTITION BY RANGE (ts);
ALTER SEQUENCE usage_log_ids OWNED BY usage_log.id;
CREATE INDEX usage_log_ts_id_idx ON usage_log (ts, id);
CREATE INDEX usage_log_key_id_ts_idx ON usage_log (key_id, ts);
CREATE INDEX usage_log_user_id_ts_idx ON usage_log (user_id, ts);
CREATE INDEX usage_log_request_id_idx ON usage_log (request_id);
CREATE TABLE usage_log_default PARTITION OF usage_log DEFAULT;

CREATE TABLE usage_bodies (
    request_id    VARCHAR(64)  NOT NULL,
    ts            TIMESTAMPTZ  NOT NULL,
    request_body  TEXT,
    response_body TEXT
) PARTITION BY RANGE (ts);
CREATE INDEX usage_bodies_request_id_idx ON usage_bodies (request_id);
CREATE TABLE usage_bodies_default PARTITION OF usage_bodies DEFAULT;

-- A daily partition for every day the old table has rows, and for today and the next few days, so the move
-- leaves nothing in the default partitions.
DO $$
DECLARE
    day DATE;
BEGIN
    FOR day IN
        SELECT DISTINCT (ts AT TIME ZONE 'UTC')::date FROM usage_log_unpartitioned
        UNION SELECT (now() AT TIME ZONE 'UTC')::date + g FROM generate_series(0, 3) AS g
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_log FOR VALUES FROM (%L) TO (%L)',
            'usage_log_p' || to_char(day, 'YYYYMMDD'), day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_bodies FOR VALUES FROM (%L) TO (%L)',
            'usage_bodies_p' || to_char(day, 'YYYYMMDD'), day::text || ' 00:00:00+00', (day + 1)::text || ' 00:00:00+00');
    END LOOP;
END $$;

INSERT INTO usage_log (id, ts, request_id, key_id, key_name, method, path, model, provider, upstream_model, stream,
    status, latency_ms, ttfb_ms, prompt_tokens, completion_tokens, error, attempts, attempt_log, user_id,
    cached_tokens, reasoning_tokens, cost_usd, usage_source, cache_status)
SELECT id, ts, request_id, key_id, key_name, method, path, model, provider, upstream_model, stream,
    status, latency_ms, ttfb_ms, prompt_tokens, completion_tokens, error, attempts, attempt_log, user_id,
    cached_tokens, reasoning_tokens, cost_usd, usage_source, cache_status
FROM usage_log_unpartitioned;
SELECT setval('usage_log_ids', COALESCE((SELECT MAX(id) FROM usage_log_unpartitioned), 0) + 1, false);
DROP TABLE usage_log_unpartitioned;

-- One row per closed hour and (model, key, user, provider, status) of the API requests (the rows stats count).
-- latency_hist and ttfb_hist: log-scale bucket counts as "bucket:count,..." (retention/LatencyHistogram), which
-- add up across hours, so percentiles over any span of hours come out within a bucket's width.
CREATE TABLE usage_hourly (
    hour_start        TIMESTAMPTZ    NOT NULL,
    model             VARCHAR(200),
    key_id            BIGINT,
    key_name          VARCHAR(200),
    user_id           BIGINT,
    provider          VARCHAR(100),
    status            INTEGER        NOT NULL,
    requests          BIGINT         NOT NULL,
    prompt_tokens     BIGINT,
    completion_tokens BIGINT,
    cached_tokens     BIGINT,
    reasoning_tokens  BIGINT,
    cost_usd          NUMERIC(24, 8),
    priced_requests   BIGINT         NOT NULL,
    latency_sum_ms    BIGINT,
    latency_hist      TEXT,
    ttfb_hist         TEXT
);
CREATE INDEX usage_hourly_hour_idx ON usage_hourly (hour_start);

-- Every hour before rolled_until is in usage_hourly; NULL until the first rollup.
CREATE TABLE usage_rollup_state (
    id            INTEGER     NOT NULL PRIMARY KEY,
    rolled_until  TIMESTAMPTZ
);
INSERT INTO usage_rollup_state (id, rolled_until) VALUES (1, NULL);
