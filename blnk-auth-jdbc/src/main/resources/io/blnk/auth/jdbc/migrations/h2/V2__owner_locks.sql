-- blnk-auth key table, H2, version 2: the per-owner limit on active keys.
-- One row per owner, locked (SELECT ... FOR UPDATE) by every insert that checks the limit, so
-- concurrent creates for one owner are serialised. Rows are never deleted.
CREATE TABLE IF NOT EXISTS ${table}_owners (
  owner_id VARCHAR(255) NOT NULL,
  CONSTRAINT ${schema_dot}${name}_owners_pkey PRIMARY KEY (owner_id)
);
