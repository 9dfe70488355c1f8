-- Tenancy: leads and runs belong to the API key that created them (owner_key_id); NULL = the admins, which is what
-- every row written before this migration becomes. A client key sees only its own rows; admin keys see all.
-- Lead ids are derived per tenant (owner and email), so the same email may now exist once per tenant: the unique
-- index on email alone goes, the primary key (the derived id) keeps one lead per email within a tenant.
ALTER TABLE leads ADD COLUMN owner_key_id VARCHAR(64);
DROP INDEX leads_email;
CREATE INDEX leads_owner_email ON leads (owner_key_id, email);

-- A run's owner (the tenant of its leads) and the key its router calls are charged to (NULL = none: global budgets).
ALTER TABLE pipeline_runs ADD COLUMN owner_key_id VARCHAR(64);
ALTER TABLE pipeline_runs ADD COLUMN api_key_id VARCHAR(64);
