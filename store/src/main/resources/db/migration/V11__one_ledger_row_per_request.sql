-- One ledger row per request (the gateway's throughput goal): 99 % of requests have a single attempt, and its attempt row
-- in usage_ledger repeated what its request_log row said. Every row written cost an insert into each B-tree of both
-- tables (ten in all) and the commit's pass over them; it was the largest part of the ledger writer's CPU.
--
-- From here on:
--   * request_log keeps one row per request, as before. A request with one attempt also keeps that attempt's own
--     columns there (cached_input_tokens, usage_estimated, ttft_ms) and says so (single_attempt).
--   * ledger_attempts (the former usage_ledger table) holds the attempts of requests with more than one attempt (a
--     retry or a fallback), and the rows written before V7_1 that have no request_log row.
--   * usage_ledger is a view with exactly the old columns: the rows of ledger_attempts and, for each single-attempt
--     request, its attempt as a row (at = ended_at; id NULL: order attempts by at). Every reader keeps its SQL.
ALTER TABLE usage_ledger RENAME TO ledger_attempts;

ALTER TABLE request_log ADD COLUMN single_attempt BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE request_log ADD COLUMN cached_input_tokens BIGINT;
ALTER TABLE request_log ADD COLUMN usage_estimated BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE request_log ADD COLUMN ttft_ms BIGINT;

-- The single-attempt requests written so far: their attempt's own columns move into request_log, their attempt row
-- goes. A request_log row with one attempt has exactly one ledger row (both were written in one transaction).
UPDATE request_log SET single_attempt = TRUE,
  cached_input_tokens = (SELECT a.cached_input_tokens FROM ledger_attempts a WHERE a.request_id = request_log.request_id),
  usage_estimated = (SELECT a.usage_estimated FROM ledger_attempts a WHERE a.request_id = request_log.request_id),
  ttft_ms = (SELECT a.ttft_ms FROM ledger_attempts a WHERE a.request_id = request_log.request_id)
WHERE attempts = 1 AND (SELECT COUNT(*) FROM ledger_attempts a WHERE a.request_id = request_log.request_id) = 1;
DELETE FROM ledger_attempts WHERE request_id IN (SELECT request_id FROM request_log WHERE single_attempt);

-- What the view's time and key-and-time conditions need on the request_log side (usage_ledger_at and
-- usage_ledger_key keep serving the ledger_attempts side under their old names).
CREATE INDEX request_log_ended ON request_log (ended_at);
CREATE INDEX request_log_key_ended ON request_log (api_key_id, ended_at);

CREATE VIEW usage_ledger AS
SELECT id, at, request_id, api_key_id, task, provider, model, input_tokens, cached_input_tokens, output_tokens, cost_usd,
       latency_ms, outcome, status, streamed, usage_estimated, attempt_kind, ttft_ms
  FROM ledger_attempts
UNION ALL
SELECT CAST(NULL AS BIGINT), ended_at, request_id, api_key_id, task, provider, model, CAST(input_tokens AS INTEGER),
       CAST(cached_input_tokens AS INTEGER), CAST(output_tokens AS INTEGER), cost_usd, latency_ms, outcome, status,
       streamed, usage_estimated, CAST('first' AS VARCHAR(16)), ttft_ms
  FROM request_log WHERE single_attempt;
