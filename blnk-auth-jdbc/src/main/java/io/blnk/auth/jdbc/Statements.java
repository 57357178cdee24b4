package io.blnk.auth.jdbc;

/**
 * Every SQL statement of the key store, built once from a validated table name. Values are always
 * parameters.
 */
final class Statements {

  static final String PUBLIC_COLUMNS =
      "api_key_id, key_prefix, name, owner_id, scopes, expires_at, created_at, last_used_at,"
          + " is_revoked, revoked_at, created_by, disabled_at, meta_data, allowed_ips, rotated_from,"
          + " rotated_to, rate_limits, usage_id, credits";

  private final TableName table;
  private final String channel;
  private final String insert;
  private final String findByLookupId;
  private final String findById;
  private final String listByOwner;
  private final String bumpSeq;
  private final String readSeq;
  private final String revoke;
  private final String setExpiry;
  private final String replaceHash;
  private final String recordLastUsed;
  private final String changesSince;
  private final String lockKey;
  private final String countActive;
  private final String ensureOwnerMariaDb;
  private final String ensureOwnerH2;
  private final String lockOwner;
  private final String update;
  private final String findByDigest;
  private final String recordDigest;
  private final String lockChildren;

  Statements(TableName table) {
    String t = table.qualified();
    String changes = table.sibling("_changes");
    this.table = table;
    this.channel = "blnk_auth_keys_" + Migrations.crc(t);
    this.insert =
        "INSERT INTO "
            + t
            + " (api_key_id, lookup_id, key_hash, key_prefix, name, owner_id, scopes, expires_at,"
            + " created_at, last_used_at, is_revoked, revoked_at, created_by, disabled_at, meta_data,"
            + " allowed_ips, rotated_from, rotated_to, key_digest, rate_limits, usage_id, credits)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.findByLookupId =
        "SELECT lookup_id, key_hash, key_digest, "
            + PUBLIC_COLUMNS
            + " FROM "
            + t
            + " WHERE lookup_id = ?";
    this.findByDigest =
        "SELECT lookup_id, key_hash, key_digest, "
            + PUBLIC_COLUMNS
            + " FROM "
            + t
            + " WHERE key_digest = ?";
    this.recordDigest =
        "UPDATE " + t + " SET key_digest = ? WHERE api_key_id = ? AND key_digest IS NULL";
    this.update =
        "UPDATE "
            + t
            + " SET name = ?, scopes = ?, expires_at = ?, meta_data = ?, allowed_ips = ?,"
            + " disabled_at = ?, change_seq = ?, rate_limits = ?, credits = ? WHERE api_key_id = ?";
    this.lockChildren =
        "SELECT "
            + PUBLIC_COLUMNS
            + " FROM "
            + t
            + " WHERE created_by = ? OR rotated_from = ? ORDER BY api_key_id FOR UPDATE";
    this.findById = "SELECT " + PUBLIC_COLUMNS + " FROM " + t + " WHERE api_key_id = ?";
    this.listByOwner =
        "SELECT "
            + PUBLIC_COLUMNS
            + " FROM "
            + t
            + " WHERE owner_id = ? ORDER BY created_at DESC, api_key_id DESC";
    this.bumpSeq = "UPDATE " + changes + " SET seq = seq + 1 WHERE id = 1";
    this.readSeq = "SELECT seq FROM " + changes + " WHERE id = 1";
    this.revoke =
        "UPDATE "
            + t
            + " SET is_revoked = TRUE, revoked_at = ?, change_seq = ?"
            + " WHERE api_key_id = ? AND is_revoked = FALSE";
    this.setExpiry =
        "UPDATE " + t + " SET expires_at = ?, rotated_to = ?, change_seq = ? WHERE api_key_id = ?";
    this.replaceHash =
        "UPDATE " + t + " SET key_hash = ? WHERE api_key_id = ? AND key_hash = ?";
    this.recordLastUsed =
        "UPDATE "
            + t
            + " SET last_used_at = ? WHERE api_key_id = ?"
            + " AND (last_used_at IS NULL OR last_used_at < ?)";
    String owners = table.sibling("_owners");
    this.lockKey = "SELECT " + PUBLIC_COLUMNS + " FROM " + t + " WHERE api_key_id = ? FOR UPDATE";
    this.countActive =
        "SELECT owner_id FROM "
            + t
            + " WHERE owner_id = ? AND is_revoked = FALSE AND (expires_at IS NULL OR expires_at > ?)"
            + " AND api_key_id <> ?";
    this.ensureOwnerMariaDb = "INSERT IGNORE INTO " + owners + " (owner_id) VALUES (?)";
    this.ensureOwnerH2 =
        "INSERT INTO "
            + owners
            + " (owner_id) SELECT CAST(? AS VARCHAR(255)) WHERE NOT EXISTS"
            + " (SELECT 1 FROM "
            + owners
            + " WHERE owner_id = ?)";
    this.lockOwner = "SELECT owner_id FROM " + owners + " WHERE owner_id = ? FOR UPDATE";
    this.changesSince =
        "SELECT api_key_id, change_seq FROM " + t + " WHERE change_seq > ? ORDER BY change_seq";
  }

  TableName table() {
    return table;
  }

  /** The PostgreSQL notification channel: derived from the table, the same on every node. */
  String channel() {
    return channel;
  }

  String insert() {
    return insert;
  }

  String findByLookupId() {
    return findByLookupId;
  }

  /** The mutable fields of one key (and its change sequence). */
  String update() {
    return update;
  }

  /** A key by its digest, hash included. */
  String findByDigest() {
    return findByDigest;
  }

  /** Records a digest where none is. */
  String recordDigest() {
    return recordDigest;
  }

  /** The keys created or rotated from one key, locked for the rest of the transaction. */
  String lockChildren() {
    return lockChildren;
  }

  String findById() {
    return findById;
  }

  String listByOwner() {
    return listByOwner;
  }

  String bumpSeq() {
    return bumpSeq;
  }

  String readSeq() {
    return readSeq;
  }

  String revoke() {
    return revoke;
  }

  String setExpiry() {
    return setExpiry;
  }

  String replaceHash() {
    return replaceHash;
  }

  String recordLastUsed() {
    return recordLastUsed;
  }

  String changesSince() {
    return changesSince;
  }

  /** The whole public row of one key, locked for the rest of the transaction. */
  String lockKey() {
    return lockKey;
  }

  /** The owner ids of an owner's keys valid at a time, except one key (compared exactly by the caller). */
  String countActive() {
    return countActive;
  }

  /** MariaDB: makes sure the owner's lock row exists. */
  String ensureOwnerMariaDb() {
    return ensureOwnerMariaDb;
  }

  /** H2: makes sure the owner's lock row exists (owner id given twice). */
  String ensureOwnerH2() {
    return ensureOwnerH2;
  }

  /** MariaDB and H2: locks the owner's row until the transaction ends. */
  String lockOwner() {
    return lockOwner;
  }

  /** PostgreSQL: a transaction-scoped advisory lock on a 64-bit key. */
  String pgAdvisoryXactLock() {
    return "SELECT pg_advisory_xact_lock(?)";
  }

  String pgNotify() {
    return "SELECT pg_notify(?, ?)";
  }
}
