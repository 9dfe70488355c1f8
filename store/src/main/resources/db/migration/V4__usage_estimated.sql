-- An attempt that ended without a complete usage report (a stream cut or cancelled after the provider accepted it)
-- is charged an estimate; this flag says so, so totals of reported tokens can leave such rows out. Rows written
-- before this migration were all reported usage.
ALTER TABLE usage_ledger ADD COLUMN usage_estimated BOOLEAN DEFAULT FALSE NOT NULL;
