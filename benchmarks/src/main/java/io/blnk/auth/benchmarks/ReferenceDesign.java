package io.blnk.auth.benchmarks;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference implementation's request path, rebuilt faithfully as the baseline: the key's record
 * is already in an in-process cache (its best case, no database round trip), and then, as the
 * reference does on every request, the presented key is checked against the stored bcrypt cost-10
 * hash, revocation and expiry are checked, and the requested {@code resource:action} is matched by
 * splitting each of the key's scope strings on {@code ':'}.
 */
final class ReferenceDesign {

  /** bcrypt cost of the reference. */
  static final int COST = 10;

  /** What the reference caches per key: the row, hash included, scopes as strings. */
  record Row(String hashedKey, List<String> scopes, Instant expiresAt, boolean revoked) {}

  private final Map<String, Row> cache = new ConcurrentHashMap<>();

  /** Stores a key as the reference does: a bcrypt cost-10 hash of the key. */
  void add(String key, List<String> scopes, Instant expiresAt) {
    String hash = new String(BCrypt.withDefaults().hash(COST, key.toCharArray()), StandardCharsets.UTF_8);
    cache.put(key, new Row(hash, List.copyOf(scopes), expiresAt, false));
  }

  /** The whole decision for one request: true to grant. */
  boolean decide(String presented, String resource, String action) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    Row row = cache.get(presented);
    if (row == null) {
      return false;
    }
    if (!BCrypt.verifyer().verify(presented.toCharArray(), row.hashedKey()).verified) {
      return false;
    }
    if (row.revoked() || !Instant.now().isBefore(row.expiresAt())) {
      return false;
    }
    return SplitMatcher.allows(row.scopes(), resource, action);
  }
}
