-- blnk-auth audit events, MariaDB/MySQL. Never holds a key, a master key or a hash.
CREATE TABLE IF NOT EXISTS ${table} (
  event_id       BIGINT NOT NULL AUTO_INCREMENT,
  event_type     VARCHAR(32) NOT NULL,
  occurred_at    DATETIME(6) NOT NULL,
  api_key_id     VARCHAR(64) NULL,
  owner_id       VARCHAR(255) NULL,
  code           VARCHAR(64) NULL,
  key_hint       VARCHAR(64) NOT NULL,
  remote_address VARCHAR(255) NOT NULL,
  detail         VARCHAR(1000) NOT NULL,
  PRIMARY KEY (event_id),
  KEY ${name}_occurred_idx (occurred_at),
  KEY ${name}_key_idx (api_key_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
