-- An employee count given as a range ("51-200", "5000+") is kept as given: `employees` stays the count or the
-- range's lower bound (for queries), `employees_range` holds the range in canonical form; NULL = an exact count
-- (every row written before this migration).
ALTER TABLE leads ADD COLUMN employees_range VARCHAR(32);
