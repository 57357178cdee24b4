package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;

/**
 * What {@link KeyStore#update} did. Only {@link Updated} changed anything: a caller announces the
 * change (an event, a cache invalidation) for it alone.
 */
public sealed interface UpdateResult
    permits UpdateResult.Updated,
        UpdateResult.NotFound,
        UpdateResult.NotActive,
        UpdateResult.Conflict {

  /**
   * The key was changed.
   *
   * @param key the key as it now is
   */
  record Updated(ApiKey key) implements UpdateResult {
    /**
     * Checks the key is present.
     *
     * @param key the key as it now is
     * @throws NullPointerException if a component is null
     */
    public Updated {
      Objects.requireNonNull(key, "key");
    }
  }

  /** There is no such key. */
  record NotFound() implements UpdateResult {}

  /**
   * The key is revoked or expired: such a key never changes again (so a change racing a
   * revocation never brings the key back).
   *
   * @param key the key as it is
   */
  record NotActive(ApiKey key) implements UpdateResult {
    /**
     * Checks the key is present.
     *
     * @param key the key as it is
     * @throws NullPointerException if a component is null
     */
    public NotActive {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The key changed since the caller read it (apart from its last use): read it again, check
   * again, and retry.
   *
   * @param current the key as it now is
   */
  record Conflict(ApiKey current) implements UpdateResult {
    /**
     * Checks the key is present.
     *
     * @param current the key as it now is
     * @throws NullPointerException if a component is null
     */
    public Conflict {
      Objects.requireNonNull(current, "current");
    }
  }
}
