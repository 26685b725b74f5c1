-- How many upstream calls each request made, and (when there was more than one, or one failed) each call as a
-- JSON array of {provider, model, key, status, ms, error}. Existing rows made one call or none; 0 says unknown.
ALTER TABLE usage_log
    ADD COLUMN attempts    INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN attempt_log TEXT;
