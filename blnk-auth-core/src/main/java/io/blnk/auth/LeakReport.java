package io.blnk.auth;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link KeyService#reportLeaked} found and did. Holds no secret.
 *
 * @param key the reported key as it now is; empty when the token is not one of this store's keys
 * @param actionTaken whether this report revoked or disabled it (false when it already was, or
 *     when the key was not found)
 */
public record LeakReport(Optional<ApiKey> key, boolean actionTaken) {

  /**
   * Rejects nulls.
   *
   * @param key the reported key as it now is; empty when the token is not one of this store's keys
   * @param actionTaken whether this report revoked or disabled it (false when it already was, or
   *     when the key was not found)
   * @throws NullPointerException if a component is null
   */
  public LeakReport {
    Objects.requireNonNull(key, "key");
  }

  /**
   * Whether the token is one of this store's keys.
   *
   * @return true if {@link #key()} is present
   */
  public boolean found() {
    return key.isPresent();
  }
}
