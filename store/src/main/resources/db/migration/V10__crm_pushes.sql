-- What each push of a run wrote to the CRM, per contact email (issue 15, HubSpot sync): a second push of the same run
-- updates the note it wrote (PATCH) instead of creating another. note_id keeps the last note written.
CREATE TABLE crm_pushes (
  run_id      VARCHAR(64)   NOT NULL,
  email       VARCHAR(320)  NOT NULL,
  contact_id  VARCHAR(64),
  note_id     VARCHAR(64),
  pushed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  outcome     VARCHAR(20)   NOT NULL,
  error       VARCHAR(4000),
  PRIMARY KEY (run_id, email)
);
