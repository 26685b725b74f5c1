-- Issue 14: the W3C trace id of each request (the caller's traceparent, or the trace the gateway began), so a row
-- can be found from a trace and the other way round. Added to the partitioned parent, PostgreSQL adds it to every
-- partition, the default one included; nullable without a default, so no partition is rewritten. The daily
-- partitions made later (retention/LogPartitions) take the parent's columns, and the move out of the default
-- partition copies whole rows. No index: rows are found by request id or time, and each index costs every insert.
ALTER TABLE usage_log ADD COLUMN trace_id VARCHAR(32);
