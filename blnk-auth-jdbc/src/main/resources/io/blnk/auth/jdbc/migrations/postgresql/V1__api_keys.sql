-- blnk-auth key table, PostgreSQL. ${table} and ${name} are validated identifiers.
CREATE TABLE IF NOT EXISTS ${table} (
  api_key_id   VARCHAR(64) COLLATE "C" NOT NULL,
  lookup_id    VARCHAR(64) COLLATE "C" NOT NULL,
  key_hash     VARCHAR(1024) NOT NULL,
  key_prefix   VARCHAR(255) NOT NULL,
  name         VARCHAR(255) NOT NULL,
  owner_id     VARCHAR(255) NOT NULL,
  scopes       TEXT NOT NULL,
  expires_at   TIMESTAMPTZ(6),
  created_at   TIMESTAMPTZ(6) NOT NULL,
  last_used_at TIMESTAMPTZ(6),
  is_revoked   BOOLEAN NOT NULL DEFAULT FALSE,
  revoked_at   TIMESTAMPTZ(6),
  created_by   VARCHAR(64),
  change_seq   BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT ${name}_pkey PRIMARY KEY (api_key_id),
  CONSTRAINT ${name}_lookup_id_key UNIQUE (lookup_id)
);
CREATE INDEX IF NOT EXISTS ${name}_owner_idx ON ${table} (owner_id);
CREATE INDEX IF NOT EXISTS ${name}_change_idx ON ${table} (change_seq);
-- One row: the change counter. Every revoke or rotate increments it under its row lock.
CREATE TABLE IF NOT EXISTS ${table}_changes (
  id  INTEGER NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL
);
INSERT INTO ${table}_changes (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
