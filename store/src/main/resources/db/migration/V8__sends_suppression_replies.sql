-- Sending approved drafts (issue 15): one row per send, written `recorded` before the SMTP transaction and marked
-- `sent` / `failed` after it (`uncertain` when a process died in between: never sent again automatically).
-- The Message-ID is the idempotency key; one send per (run, lead).
CREATE TABLE email_sends (
  message_id   VARCHAR(255)  PRIMARY KEY,
  run_id       VARCHAR(64)   NOT NULL,
  lead_id      VARCHAR(40)   NOT NULL,
  mailbox      VARCHAR(320)  NOT NULL,
  recipient    VARCHAR(320)  NOT NULL,
  subject      VARCHAR(500),
  status       VARCHAR(16)   NOT NULL,
  recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at  TIMESTAMP WITH TIME ZONE,
  error        VARCHAR(2000)
);
CREATE UNIQUE INDEX email_sends_run_lead ON email_sends (run_id, lead_id);
CREATE INDEX email_sends_mailbox ON email_sends (mailbox, recorded_at);
CREATE INDEX email_sends_status ON email_sends (status);
CREATE INDEX email_sends_lead ON email_sends (lead_id);

-- Who must never be emailed: 'h:' + HMAC-SHA-256 hex of the lower-cased address (never the address itself), or
-- 'd:' + a do-not-contact domain.
CREATE TABLE suppression_list (
  entry       VARCHAR(330)  PRIMARY KEY,
  reason      VARCHAR(32)   NOT NULL,
  source      VARCHAR(200),
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Per-install secrets created on first use (the suppression list's HMAC salt), hex.
CREATE TABLE install_secrets (
  name        VARCHAR(64)   PRIMARY KEY,
  secret_hex  VARCHAR(200)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Inbound replies and their triage: by free rules (decided_by = 'rules', no cost) or by the router's `triage` task.
CREATE TABLE email_replies (
  id           VARCHAR(80)   PRIMARY KEY,
  lead_id      VARCHAR(40),
  in_reply_to  VARCHAR(255),
  category     VARCHAR(32)   NOT NULL,
  evidence     VARCHAR(2000),
  decided_by   VARCHAR(16)   NOT NULL,
  request_id   VARCHAR(128),
  provider     VARCHAR(64),
  model        VARCHAR(128),
  cost_usd     DECIMAL(18, 9) NOT NULL,
  received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX email_replies_lead ON email_replies (lead_id);

-- Leads whose reply asked for a next step, waiting for the CRM push (the HubSpot sync reads and clears it).
CREATE TABLE crm_push_queue (
  lead_id      VARCHAR(40)   PRIMARY KEY,
  next_action  VARCHAR(500)  NOT NULL,
  reason       VARCHAR(2000),
  queued_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
