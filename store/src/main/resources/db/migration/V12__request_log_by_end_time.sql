-- The request log's indexes keyed by the time a request ended (the gateway's throughput goal). After V11 request_log
-- carried two families of time indexes: (started_at, request_id) and (api_key_id | provider | model, started_at,
-- request_id) for the console's keyset pages, and (ended_at), (api_key_id, ended_at) for the usage_ledger view's time
-- conditions. Every request inserted into all seven B-trees, and the writer's CPU was mostly those inserts. From here
-- on one family serves both: pages are newest-finished first on (ended_at, request_id), and the view's `at` (= ended_at)
-- conditions use the same indexes. Five B-trees per request instead of seven.
DROP INDEX request_log_time;
DROP INDEX request_log_key_time;
DROP INDEX request_log_provider_time;
DROP INDEX request_log_model_time;
DROP INDEX request_log_ended;
DROP INDEX request_log_key_ended;

CREATE INDEX request_log_time ON request_log (ended_at, request_id);
CREATE INDEX request_log_key_time ON request_log (api_key_id, ended_at, request_id);
CREATE INDEX request_log_provider_time ON request_log (provider, ended_at, request_id);
CREATE INDEX request_log_model_time ON request_log (model, ended_at, request_id);
