-- blnk-auth key table, PostgreSQL, version 2: the per-owner limit on active keys.
-- PostgreSQL serialises inserts per owner with pg_advisory_xact_lock, so it needs no new table;
-- this index makes counting an owner's active keys one index range.
CREATE INDEX IF NOT EXISTS ${name}_owner_active_idx ON ${table} (owner_id, is_revoked);
