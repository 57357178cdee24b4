-- blnk-auth key table, H2. ${table}, ${schema_dot} and ${name} are validated identifiers.
CREATE TABLE IF NOT EXISTS ${table} (
  api_key_id   VARCHAR(64) NOT NULL,
  lookup_id    VARCHAR(64) NOT NULL,
  key_hash     VARCHAR(1024) NOT NULL,
  key_prefix   VARCHAR(255) NOT NULL,
  name         VARCHAR(255) NOT NULL,
  owner_id     VARCHAR(255) NOT NULL,
  scopes       VARCHAR(1000000) NOT NULL,
  expires_at   TIMESTAMP(6) WITH TIME ZONE,
  created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  last_used_at TIMESTAMP(6) WITH TIME ZONE,
  is_revoked   BOOLEAN DEFAULT FALSE NOT NULL,
  revoked_at   TIMESTAMP(6) WITH TIME ZONE,
  created_by   VARCHAR(64),
  change_seq   BIGINT DEFAULT 0 NOT NULL,
  CONSTRAINT ${schema_dot}${name}_pkey PRIMARY KEY (api_key_id),
  CONSTRAINT ${schema_dot}${name}_lookup_id_key UNIQUE (lookup_id)
);
CREATE INDEX IF NOT EXISTS ${schema_dot}${name}_owner_idx ON ${table} (owner_id);
CREATE INDEX IF NOT EXISTS ${schema_dot}${name}_change_idx ON ${table} (change_seq);
-- One row: the change counter. Every revoke or rotate increments it under its row lock.
CREATE TABLE IF NOT EXISTS ${table}_changes (
  id  INT NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL
);
INSERT INTO ${table}_changes (id, seq) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM ${table}_changes WHERE id = 1);
