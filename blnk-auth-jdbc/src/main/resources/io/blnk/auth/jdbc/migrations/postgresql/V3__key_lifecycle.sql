-- blnk-auth key table, PostgreSQL, version 3: the key lifecycle (issue 12), added in place.
-- disabled_at: reversible disable; meta_data: the host's JSON object (at most 4 KiB);
-- allowed_ips: canonical CIDR ranges separated by spaces ('' for any address);
-- rotated_from / rotated_to: rotation links; key_digest: SHA-256 of the whole key (hex), how a
-- leaked key is found without running the hash (NULL for older keys until first verified).
-- Adding nullable columns without defaults rewrites nothing: existing rows stay as they are.
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS disabled_at TIMESTAMPTZ(6);
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS meta_data TEXT;
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS allowed_ips TEXT;
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS rotated_from VARCHAR(64) COLLATE "C";
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS rotated_to VARCHAR(64) COLLATE "C";
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS key_digest VARCHAR(64) COLLATE "C";
CREATE UNIQUE INDEX IF NOT EXISTS ${name}_digest_key ON ${table} (key_digest);
CREATE INDEX IF NOT EXISTS ${name}_created_by_idx ON ${table} (created_by);
CREATE INDEX IF NOT EXISTS ${name}_rotated_from_idx ON ${table} (rotated_from);
