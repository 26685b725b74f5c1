-- Type-specific provider settings (Azure's api_version, Anthropic's anthropic_version, ...) as a JSON object of
-- strings. Not secret: keys stay in api_keys.
ALTER TABLE providers ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
