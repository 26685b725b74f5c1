-- Public list prices of well-known models, in US dollars per million tokens: input, cached input (cache reads;
-- NULL = no cached price, so cached tokens cost the input price), output. Figures as published by the providers
-- as of 2026-12-04 (standard tier, the short-context tier where prices depend on prompt length); docs/USAGE.md says
-- which were checked against a source and which not. A pattern prices the dated snapshots that share a price; an
-- exact name wins over a pattern, and a longer literal prefix over a shorter one. source = 'seed': an admin edit
-- replaces the row. The PostgreSQL twin is in db/migration/postgresql.
INSERT INTO prices (model, input_per_mtok, cached_input_per_mtok, output_per_mtok, source, updated_at) VALUES
  -- OpenAI
  ('gpt-4o',                 2.50,   1.25,    10.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4o-20*',             2.50,   1.25,    10.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4o-2024-05-13',      5.00,   NULL,    15.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4o-mini*',           0.15,   0.075,    0.60, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4.1',                2.00,   0.50,     8.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4.1-20*',            2.00,   0.50,     8.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4.1-mini*',          0.40,   0.10,     1.60, 'seed', CURRENT_TIMESTAMP),
  ('gpt-4.1-nano*',          0.10,   0.025,    0.40, 'seed', CURRENT_TIMESTAMP),
  ('o1',                    15.00,   7.50,    60.00, 'seed', CURRENT_TIMESTAMP),
  ('o1-20*',                15.00,   7.50,    60.00, 'seed', CURRENT_TIMESTAMP),
  ('o1-mini*',               1.10,   0.55,     4.40, 'seed', CURRENT_TIMESTAMP),
  ('o3',                     2.00,   0.50,     8.00, 'seed', CURRENT_TIMESTAMP),
  ('o3-20*',                 2.00,   0.50,     8.00, 'seed', CURRENT_TIMESTAMP),
  ('o3-mini*',               1.10,   0.55,     4.40, 'seed', CURRENT_TIMESTAMP),
  ('o4-mini*',               1.10,   0.275,    4.40, 'seed', CURRENT_TIMESTAMP),
  ('gpt-5',                  1.25,   0.125,   10.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-5-20*',              1.25,   0.125,   10.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-5-chat*',            1.25,   0.125,   10.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-5-mini*',            0.25,   0.025,    2.00, 'seed', CURRENT_TIMESTAMP),
  ('gpt-5-nano*',            0.05,   0.005,    0.40, 'seed', CURRENT_TIMESTAMP),
  ('text-embedding-3-small', 0.02,   NULL,     0,    'seed', CURRENT_TIMESTAMP),
  ('text-embedding-3-large', 0.13,   NULL,     0,    'seed', CURRENT_TIMESTAMP),
  ('text-embedding-ada-002', 0.10,   NULL,     0,    'seed', CURRENT_TIMESTAMP),
  -- Anthropic (cached = cache reads; cache writes are billed at the input price, see docs/USAGE.md)
  ('claude-3-haiku*',        0.25,   0.03,     1.25, 'seed', CURRENT_TIMESTAMP),
  ('claude-3-5-haiku*',      0.80,   0.08,     4.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-3-5-sonnet*',     3.00,   0.30,    15.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-3-7-sonnet*',     3.00,   0.30,    15.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-3-opus*',        15.00,   1.50,    75.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-sonnet-4*',       3.00,   0.30,    15.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-haiku-4-5*',      1.00,   0.10,     5.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-opus-4*',         5.00,   0.50,    25.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-opus-4-0*',      15.00,   1.50,    75.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-opus-4-1*',      15.00,   1.50,    75.00, 'seed', CURRENT_TIMESTAMP),
  ('claude-opus-4-20*',     15.00,   1.50,    75.00, 'seed', CURRENT_TIMESTAMP),
  -- Google Gemini (prompts up to 128k tokens for 1.5, up to 200k for 2.5 Pro)
  ('gemini-1.5-flash*',      0.075,  0.01875,  0.30, 'seed', CURRENT_TIMESTAMP),
  ('gemini-1.5-flash-8b*',   0.0375, 0.01,     0.15, 'seed', CURRENT_TIMESTAMP),
  ('gemini-1.5-pro*',        1.25,   0.3125,   5.00, 'seed', CURRENT_TIMESTAMP),
  ('gemini-2.0-flash*',      0.10,   0.025,    0.40, 'seed', CURRENT_TIMESTAMP),
  ('gemini-2.0-flash-lite*', 0.075,  NULL,     0.30, 'seed', CURRENT_TIMESTAMP),
  ('gemini-2.5-flash*',      0.30,   0.03,     2.50, 'seed', CURRENT_TIMESTAMP),
  ('gemini-2.5-flash-lite*', 0.10,   0.01,     0.40, 'seed', CURRENT_TIMESTAMP),
  ('gemini-2.5-pro*',        1.25,   0.125,   10.00, 'seed', CURRENT_TIMESTAMP),
  -- DeepSeek (both names serve DeepSeek-V3.2 at one price; cached = cache hit)
  ('deepseek-chat',          0.28,   0.028,    0.42, 'seed', CURRENT_TIMESTAMP),
  ('deepseek-reasoner',      0.28,   0.028,    0.42, 'seed', CURRENT_TIMESTAMP);
