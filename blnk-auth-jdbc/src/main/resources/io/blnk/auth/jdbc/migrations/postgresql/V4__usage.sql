-- blnk-auth key table, PostgreSQL, version 4: usage controls (issue 13). Upgrades in place.
-- rate_limits: the key's named limits, "name:limit:seconds" joined by ',', NULL for none.
-- usage_id: whose balance and buckets the key uses (a rotated key's successor shares its
-- predecessor's), NULL means the key's own id.
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS rate_limits VARCHAR(1000) NULL;
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS usage_id VARCHAR(64) NULL;
-- credits: NULL for none, '-' for credits without refill, 'daily:AMOUNT' or 'monthly:AMOUNT:DAY'
-- (the balance itself is in ${table}_credits, under the usage id).
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS credits VARCHAR(64) NULL;
-- One row per metered key: the balance not leased to any node, its refill and current period.
CREATE TABLE IF NOT EXISTS ${table}_credits (
  usage_id        VARCHAR(64) NOT NULL PRIMARY KEY,
  remaining       BIGINT NOT NULL,
  refill_amount   BIGINT NULL,
  refill_interval VARCHAR(8) NULL,
  refill_day      INTEGER NOT NULL DEFAULT 0,
  period_start    BIGINT NOT NULL
);
-- Rate limits on all keys of one owner together, set by the master key.
CREATE TABLE IF NOT EXISTS ${table}_owner_limits (
  owner_id       VARCHAR(255) NOT NULL PRIMARY KEY,
  name           VARCHAR(32) NOT NULL,
  rate_limit     BIGINT NOT NULL,
  period_seconds BIGINT NOT NULL
);
-- Bucket4j's bucket states for the cluster rate-limit mode.
CREATE TABLE IF NOT EXISTS ${table}_buckets (
  id    VARCHAR(320) NOT NULL PRIMARY KEY,
  state BYTEA NULL
);
