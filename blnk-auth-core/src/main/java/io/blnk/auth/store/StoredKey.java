package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A key as a store keeps it: the public record, the lookup id and the encoded hash. The plaintext
 * is never stored. {@link #toString()} leaves the lookup id and the hash out.
 *
 * @param key the public record
 * @param lookupId the indexed lookup id (the first 16 body characters of the plaintext)
 * @param keyHash the encoded hash of the whole plaintext key
 * @param keyDigest SHA-256 of the whole plaintext key (UTF-8), as 64 lower-case hex digits: how a
 *     leaked key is found without running the hash; empty for keys stored before digests existed
 *     until their first successful verification
 */
public record StoredKey(ApiKey key, String lookupId, String keyHash, Optional<String> keyDigest) {

  /** The length of a {@linkplain #keyDigest() key digest} in hex digits. */
  public static final int DIGEST_LENGTH = 64;

  /**
   * Checks that no part is null or empty.
   *
   * @param key the public record
   * @param lookupId the indexed lookup id (the first 16 body characters of the plaintext)
   * @param keyHash the encoded hash of the whole plaintext key
   * @param keyDigest SHA-256 of the whole plaintext key (UTF-8), as 64 lower-case hex digits: how a
   *     leaked key is found without running the hash; empty for keys stored before digests existed
   *     until their first successful verification
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if the lookup id or hash is empty
   */
  public StoredKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lookupId, "lookupId");
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(keyDigest, "keyDigest");
    if (lookupId.isEmpty() || keyHash.isEmpty()) {
      throw new IllegalArgumentException("lookupId and keyHash must not be empty");
    }
    keyDigest.ifPresent(StoredKey::requireDigest);
  }

  /**
   * A key stored without a digest (as before digests existed).
   *
   * @param key the public record
   * @param lookupId the indexed lookup id (the first 16 body characters of the plaintext)
   * @param keyHash the encoded hash of the whole plaintext key
   */
  public StoredKey(ApiKey key, String lookupId, String keyHash) {
    this(key, lookupId, keyHash, Optional.empty());
  }

  /**
   * Checks a key digest's form: 64 lower-case hex digits.
   *
   * @param digest the text to check
   * @return {@code digest}, unchanged
   * @throws IllegalArgumentException if it has another form
   * @throws NullPointerException if {@code digest} is null
   */
  public static String requireDigest(String digest) {
    Objects.requireNonNull(digest, "digest");
    boolean ok = digest.length() == DIGEST_LENGTH;
    for (int i = 0; ok && i < digest.length(); i++) {
      char c = digest.charAt(i);
      ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!ok) {
      throw new IllegalArgumentException("a key digest is 64 lower-case hex digits");
    }
    return digest;
  }

  /**
   * A copy with another record.
   *
   * @param newKey the record to hold
   * @return a stored key with the same lookup id, hash and digest
   */
  public StoredKey withKey(ApiKey newKey) {
    return new StoredKey(newKey, lookupId, keyHash, keyDigest);
  }

  /**
   * A copy with another hash.
   *
   * @param newHash the encoded hash to hold
   * @return a stored key with the same record, lookup id and digest
   */
  public StoredKey withKeyHash(String newHash) {
    return new StoredKey(key, lookupId, newHash, keyDigest);
  }

  /**
   * A copy with a digest.
   *
   * @param digest the digest, 64 lower-case hex digits
   * @return a stored key with the same record, lookup id and hash
   * @throws IllegalArgumentException if {@code digest} has another form
   */
  public StoredKey withKeyDigest(String digest) {
    return new StoredKey(key, lookupId, keyHash, Optional.of(digest));
  }

  @Override
  public String toString() {
    return "StoredKey[key=" + key + ", lookupId=redacted, keyHash=redacted, keyDigest=redacted]";
  }
}
