package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link KeyStore#revoke} did. Only {@link Revoked} changed anything: a caller announces a
 * revocation (an event, a cache invalidation) for it alone.
 */
public sealed interface RevokeResult
    permits RevokeResult.Revoked, RevokeResult.AlreadyRevoked, RevokeResult.NotFound {

  /**
   * The key as it now is, or empty if there is no such key.
   *
   * @return the key as it now is; empty for {@code NotFound}
   */
  Optional<ApiKey> key();

  /**
   * This call revoked the key.
   *
   * @param revoked the key as it now is
   */
  record Revoked(ApiKey revoked) implements RevokeResult {
    /**
     * Checks the key is present.
     *
     * @param revoked the key as it now is
     * @throws NullPointerException if a component is null
     */
    public Revoked {
      Objects.requireNonNull(revoked, "revoked");
    }

    @Override
    public Optional<ApiKey> key() {
      return Optional.of(revoked);
    }
  }

  /**
   * The key was revoked before; nothing changed and the first {@code revokedAt} is kept.
   *
   * @param revoked the key as it is
   */
  record AlreadyRevoked(ApiKey revoked) implements RevokeResult {
    /**
     * Checks the key is present.
     *
     * @param revoked the key as it is
     * @throws NullPointerException if a component is null
     */
    public AlreadyRevoked {
      Objects.requireNonNull(revoked, "revoked");
    }

    @Override
    public Optional<ApiKey> key() {
      return Optional.of(revoked);
    }
  }

  /** There is no such key. */
  record NotFound() implements RevokeResult {
    @Override
    public Optional<ApiKey> key() {
      return Optional.empty();
    }
  }
}
