-- The request log (issue 14): one row per router request, derived from its attempts (usage_ledger rows with the same
-- request_id) by the ledger's writer, in the same transaction as those rows. The attempts themselves stay in
-- usage_ledger. Rows are updated while a request's attempts arrive (a retry after a backoff may land in a later batch).
-- started_at = the first attempt's start (its `at` minus its latency), ended_at = the last attempt's end.
CREATE TABLE request_log (
  request_id       VARCHAR(128)  PRIMARY KEY,
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  api_key_id       VARCHAR(64),
  task             VARCHAR(64),
  requested_model  VARCHAR(200),
  first_provider   VARCHAR(64)   NOT NULL,
  provider         VARCHAR(64)   NOT NULL,
  model            VARCHAR(128)  NOT NULL,
  outcome          VARCHAR(32)   NOT NULL,
  status           INTEGER,
  attempts         INTEGER       NOT NULL,
  failed_attempts  INTEGER       NOT NULL,
  retries          INTEGER       NOT NULL,
  fallbacks        INTEGER       NOT NULL,
  input_tokens     BIGINT,
  output_tokens    BIGINT,
  cost_usd         DECIMAL(18, 9) NOT NULL,
  latency_ms       BIGINT        NOT NULL,
  streamed         BOOLEAN       NOT NULL
);
-- Keyset paging newest first on (started_at, request_id), for everyone and per key / provider / model.
CREATE INDEX request_log_time ON request_log (started_at, request_id);
CREATE INDEX request_log_key_time ON request_log (api_key_id, started_at, request_id);
CREATE INDEX request_log_provider_time ON request_log (provider, started_at, request_id);
CREATE INDEX request_log_model_time ON request_log (model, started_at, request_id);

-- Each attempt's place in its request, worked out by the same writer: 'first', 'retry' (the same target again) or
-- 'fallback' (another target). NULL for rows written before this migration.
ALTER TABLE usage_ledger ADD COLUMN attempt_kind VARCHAR(16);

-- Time to the first content token of a streamed attempt (NULL: not streamed, no content, or written before V7_1):
-- the Providers view's TTFT percentiles.
ALTER TABLE usage_ledger ADD COLUMN ttft_ms BIGINT;
