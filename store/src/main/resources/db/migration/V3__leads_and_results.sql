-- Leads (HubSpot contacts); the id is derived from the lower-cased email, which is unique.
CREATE TABLE leads (
  id          VARCHAR(40)  PRIMARY KEY,
  email       VARCHAR(320) NOT NULL,
  first_name  VARCHAR(300),
  last_name   VARCHAR(300),
  company     VARCHAR(300),
  job_title   VARCHAR(300),
  phone       VARCHAR(300),
  website     VARCHAR(300),
  industry    VARCHAR(300),
  employees   INTEGER,
  country     VARCHAR(300),
  notes       VARCHAR(4000),
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX leads_email ON leads (email);

-- Pipeline runs; `--resume` finds the latest run by its output directory.
CREATE TABLE pipeline_runs (
  id             VARCHAR(64)   PRIMARY KEY,
  out_dir        VARCHAR(1000) NOT NULL,
  input_path     VARCHAR(1000),
  steps          VARCHAR(100)  NOT NULL,
  concurrency    INTEGER       NOT NULL,
  status         VARCHAR(20)   NOT NULL,
  input_columns  VARCHAR(20000) NOT NULL,
  started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX pipeline_runs_out ON pipeline_runs (out_dir, started_at);

-- The leads of a run in input order, with the raw input cells (JSON object) for the export.
CREATE TABLE run_leads (
  run_id    VARCHAR(64) NOT NULL,
  lead_id   VARCHAR(40) NOT NULL,
  pos       INTEGER     NOT NULL,
  raw_json  VARCHAR(100000),
  PRIMARY KEY (run_id, lead_id)
);
CREATE INDEX run_leads_pos ON run_leads (run_id, pos);

-- Every import row that was rejected, merged or imported with a warning, with its line number.
CREATE TABLE run_import_issues (
  run_id    VARCHAR(64)   NOT NULL,
  seq       INTEGER       NOT NULL,
  line_no   BIGINT        NOT NULL,
  severity  VARCHAR(16)   NOT NULL,
  reason    VARCHAR(2000) NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- One row per (run, lead, step): written `running` before the call and `done`/`failed`/`skipped` after it.
CREATE TABLE lead_results (
  run_id          VARCHAR(64)  NOT NULL,
  lead_id         VARCHAR(40)  NOT NULL,
  step            VARCHAR(16)  NOT NULL,
  status          VARCHAR(16)  NOT NULL,
  result_json     VARCHAR(100000),
  prompt_version  VARCHAR(64),
  provider        VARCHAR(64),
  model           VARCHAR(128),
  cost_usd        DECIMAL(18, 9) NOT NULL,
  calls           INTEGER      NOT NULL,
  latency_ms      BIGINT       NOT NULL,
  fallbacks       INTEGER      NOT NULL,
  error           VARCHAR(2000),
  started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at     TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (run_id, lead_id, step)
);
CREATE INDEX lead_results_lead ON lead_results (lead_id, step, started_at);
