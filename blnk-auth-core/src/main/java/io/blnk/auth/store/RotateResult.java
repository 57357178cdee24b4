package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import java.util.Objects;

/**
 * What {@link KeyStore#rotate} did. Only {@link Rotated} stored anything; every other outcome left
 * the store unchanged. The store decides inside its locked read of the old key, so a rotation that
 * races a revocation either happened entirely before it or not at all.
 */
public sealed interface RotateResult
    permits RotateResult.Rotated,
        RotateResult.NotFound,
        RotateResult.NotActive,
        RotateResult.Collision,
        RotateResult.LimitReached {

  /**
   * The replacement was stored and the old key's expiry capped.
   *
   * @param old the old key as it now is
   */
  record Rotated(ApiKey old) implements RotateResult {
    /**
     * Checks the key is present.
     *
     * @param old the old key as it now is
     * @throws NullPointerException if a component is null
     */
    public Rotated {
      Objects.requireNonNull(old, "old");
    }
  }

  /** There is no such old key. */
  record NotFound() implements RotateResult {}

  /**
   * The old key is revoked, expired at the rotation's time, or disabled, so it has no successor.
   *
   * @param old the old key as it is
   */
  record NotActive(ApiKey old) implements RotateResult {
    /**
     * Checks the key is present.
     *
     * @param old the old key as it is
     * @throws NullPointerException if a component is null
     */
    public NotActive {
      Objects.requireNonNull(old, "old");
    }
  }

  /** The replacement's id or lookup id already exists (pick new ones and try again). */
  record Collision() implements RotateResult {}

  /**
   * The owner's other active keys already number {@code limit}.
   *
   * @param limit the per-owner limit that was reached
   */
  record LimitReached(int limit) implements RotateResult {}
}
