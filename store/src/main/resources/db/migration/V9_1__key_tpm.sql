-- Tokens per minute per key (issue 16): a sliding 60 s window over each call's estimated, then reported, tokens.
-- NULL = no token limit (every existing key).
ALTER TABLE api_keys ADD COLUMN tpm INTEGER;
