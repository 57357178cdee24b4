package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;

/**
 * A key as a store keeps it: the public record, the lookup id and the encoded hash. The plaintext
 * is never stored. {@link #toString()} leaves the lookup id and the hash out.
 *
 * @param key the public record
 * @param lookupId the indexed lookup id (the first 16 body characters of the plaintext)
 * @param keyHash the encoded hash of the whole plaintext key
 */
public record StoredKey(ApiKey key, String lookupId, String keyHash) {

  /**
   * Checks that no part is null or empty.
   *
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if the lookup id or hash is empty
   */
  public StoredKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lookupId, "lookupId");
    Objects.requireNonNull(keyHash, "keyHash");
    if (lookupId.isEmpty() || keyHash.isEmpty()) {
      throw new IllegalArgumentException("lookupId and keyHash must not be empty");
    }
  }

  /** A copy with another record. */
  public StoredKey withKey(ApiKey newKey) {
    return new StoredKey(newKey, lookupId, keyHash);
  }

  /** A copy with another hash. */
  public StoredKey withKeyHash(String newHash) {
    return new StoredKey(key, lookupId, newHash);
  }

  @Override
  public String toString() {
    return "StoredKey[key=" + key + ", lookupId=redacted, keyHash=redacted]";
  }
}
