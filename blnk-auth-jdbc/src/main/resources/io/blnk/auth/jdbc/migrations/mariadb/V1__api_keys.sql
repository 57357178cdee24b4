-- blnk-auth key table, MariaDB/MySQL. ${table} and ${name} are validated identifiers.
-- utf8mb4_bin: lookup ids and owners compare exactly (case-sensitive).
CREATE TABLE IF NOT EXISTS ${table} (
  api_key_id   VARCHAR(64) NOT NULL,
  lookup_id    VARCHAR(64) NOT NULL,
  key_hash     VARCHAR(1024) NOT NULL,
  key_prefix   VARCHAR(255) NOT NULL,
  name         VARCHAR(255) NOT NULL,
  owner_id     VARCHAR(255) NOT NULL,
  scopes       TEXT NOT NULL,
  expires_at   DATETIME(6) NULL,
  created_at   DATETIME(6) NOT NULL,
  last_used_at DATETIME(6) NULL,
  is_revoked   BOOLEAN NOT NULL DEFAULT FALSE,
  revoked_at   DATETIME(6) NULL,
  created_by   VARCHAR(64) NULL,
  change_seq   BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (api_key_id),
  UNIQUE KEY ${name}_lookup_id_key (lookup_id),
  KEY ${name}_owner_idx (owner_id),
  KEY ${name}_change_idx (change_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- One row: the change counter. Every revoke or rotate increments it under its row lock.
CREATE TABLE IF NOT EXISTS ${table}_changes (
  id  INT NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO ${table}_changes (id, seq) VALUES (1, 0);
