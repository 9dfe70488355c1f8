-- API keys: only a SHA-256 of the key is stored; `prefix` is the first characters of the key, shown to admins.
CREATE TABLE api_keys (
  id          VARCHAR(64)  PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  prefix      VARCHAR(32)  NOT NULL,
  key_hash    VARCHAR(64)  NOT NULL,
  scope       VARCHAR(16)  NOT NULL,
  budget_usd  DECIMAL(18, 9),
  rpm         INTEGER,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);

-- Spend and reservations per budget scope ('global' or 'key:<id>') and period ('daily' 2026-11-24, 'monthly' 2026-11).
CREATE TABLE budget_counters (
  scope        VARCHAR(80) NOT NULL,
  period_key   VARCHAR(16) NOT NULL,
  spent_usd    DECIMAL(18, 9) NOT NULL,
  reserved_usd DECIMAL(18, 9) NOT NULL,
  PRIMARY KEY (scope, period_key)
);

-- Reservations not yet settled: they survive a restart and keep counting as reserved until settled, released or stale.
CREATE TABLE budget_reservations (
  id          VARCHAR(160) PRIMARY KEY,
  api_key_id  VARCHAR(64),
  usd         DECIMAL(18, 9) NOT NULL,
  day_key     VARCHAR(16) NOT NULL,
  month_key   VARCHAR(16) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
