-- Whether the response cache answered the request: 'hit', 'miss' (looked up and stored or storable), or NULL
-- when the request was not looked up (not cacheable, bypassed, or the cache is off).
ALTER TABLE usage_log ADD COLUMN cache_status VARCHAR(8);
