-- Lead runs shared by several workers (`run --run-id`): a worker leases a lead of the run (lease_owner, lease_until
-- by the database's clock), renews the lease while it works on it, and marks the lead done when its steps are
-- finished. A lease that is not renewed (a killed worker) expires and another worker takes the lead over; its
-- finished steps are read back from lead_results, never called again.
ALTER TABLE run_leads ADD COLUMN done BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE run_leads ADD COLUMN lease_owner VARCHAR(100);
ALTER TABLE run_leads ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
