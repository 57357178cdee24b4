package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;

/**
 * What {@link KeyStore#insert(StoredKey, int, java.time.Instant)} did: an expected outcome, never
 * an exception. Store failures are still {@link StoreUnavailableException}s.
 */
public sealed interface InsertResult
    permits InsertResult.Inserted,
        InsertResult.Duplicate,
        InsertResult.LimitReached,
        InsertResult.CreatorRevoked {

  /**
   * The key was stored.
   *
   * @param key the stored record
   */
  record Inserted(ApiKey key) implements InsertResult {
    /**
     * Checks the key is present.
     *
     * @param key the stored record
     * @throws NullPointerException if a component is null
     */
    public Inserted {
      Objects.requireNonNull(key, "key");
    }
  }

  /** Nothing was stored: the id or the lookup id already exists. */
  record Duplicate() implements InsertResult {}

  /**
   * Nothing was stored: the owner already has {@code limit} active (neither revoked nor expired)
   * keys.
   *
   * @param limit the per-owner limit that was reached
   */
  record LimitReached(int limit) implements InsertResult {}

  /**
   * Nothing was stored: the key that creates it ({@code createdBy}) is revoked, e.g. by a cascade
   * that committed first. Checked under the creator's row lock, so a create racing a cascading
   * revoke either is found by the cascade or is refused here.
   *
   * @param creator the revoked creator
   */
  record CreatorRevoked(io.blnk.auth.key.ApiKeyId creator) implements InsertResult {
    /**
     * Checks the id is present.
     *
     * @param creator the revoked creator
     * @throws NullPointerException if a component is null
     */
    public CreatorRevoked {
      Objects.requireNonNull(creator, "creator");
    }
  }
}
